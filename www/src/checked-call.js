// Runs one API request next to the client-side prediction for it, and says out loud when the two disagree.
// The prediction is the point of the package: a UI can grey out what will fail. If the server ever answers
// differently, either the engine or the server is wrong, and the page must not hide that.

import { decisionState, decisionSummary } from "./decision.js";
import { logActivity, showBanner, describeError } from "./activity.js";

/** Statuses that mean "the server refused this caller", as opposed to a bad request or an outage. */
const REFUSALS = new Set([403, 404]);

/**
 * Runs `call()` predicted by `decision` (a Decision, or null when there is nothing to predict).
 * Returns `{ ok: true, value }` or `{ ok: false, error }`; never throws.
 */
export async function checkedCall({ label, decision, call, summarize = () => "OK" }) {
  const predicted = decision ? decisionState(decision) : null;
  try {
    const value = await call();
    let agreement = predicted && predicted !== "indeterminate" ? "agree" : "unchecked";
    if (predicted === "denied") {
      agreement = "disagree";
      showBanner(
        "disagree",
        "The server disagreed with the client-side check",
        `${label}: the client predicted a refusal (“${decisionSummary(decision)}”) but the server allowed it.`,
      );
    }
    logActivity({ label, predicted: decision, result: { ok: true, summary: summarize(value) }, agreement });
    return { ok: true, value };
  } catch (error) {
    const refused = REFUSALS.has(error?.status);
    let agreement = "failed";
    if (refused && predicted === "denied") agreement = "agree";
    else if (refused && predicted === "allowed") {
      agreement = "disagree";
      showBanner(
        "disagree",
        "The server disagreed with the client-side check",
        `${label}: the client predicted it would be allowed (“${decisionSummary(decision)}”) but the server answered ${describeError(error)}`,
      );
    } else if (refused && predicted === "indeterminate") agreement = "unchecked";

    if (agreement === "agree") {
      showBanner("info", "Refused by the server, as the client predicted", `${label}: ${describeError(error)}`);
    } else if (agreement !== "disagree") {
      showBanner("error", `${label} failed`, describeError(error));
    }
    logActivity({ label, predicted: decision, result: { ok: false, error }, agreement });
    return { ok: false, error };
  }
}
