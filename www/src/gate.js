// Enabling and disabling action buttons from client-side Decisions, before any request is sent.

import { app } from "./app-state.js";
import { decisionState, decisionTooltip } from "./decision.js";

/**
 * Applies `decision` to `button`: the state as `data-decision`, the explanation as its tooltip, and disabled
 * when the check denies and checks are enforced. Indeterminate stays enabled: the client cannot know, so the
 * server decides.
 */
export function gate(button, decision) {
  const state = decisionState(decision);
  button.dataset.decision = state;
  button.title = decisionTooltip(decision);
  button.disabled = app.enforce && state === "denied";
  button.classList.toggle("predicted-denied", state === "denied");
  button.classList.toggle("predicted-unknown", state === "indeterminate");
}

/**
 * One Decision standing for several alternatives (an Edit button opens a form that can change the name, the
 * description or the policy): allowed if any is, with each alternative listed as a check.
 */
export function anyOf(entries) {
  const allowed = entries.some(([, d]) => d.allowed && !d.indeterminate);
  const indeterminate = !allowed && entries.some(([, d]) => d.indeterminate);
  const checks = entries.map(([action, d, resource]) => ({
    action,
    resource: resource || "",
    allowed: d.allowed,
    indeterminate: !!d.indeterminate,
    reason: d.reason,
  }));
  const yes = entries.filter(([, d]) => d.allowed && !d.indeterminate).map(([a]) => a);
  const reason = allowed
    ? `May change: ${yes.join(", ")}`
    : indeterminate
      ? "Cannot tell whether any edit is allowed"
      : `No edit is allowed: ${entries[0][1].reason}`;
  return { allowed, effect: allowed ? "allow" : "deny", matched: [], reason, indeterminate, checks };
}
