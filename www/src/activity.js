// The activity log (every request, its prediction and the server's answer) and the banners above the views.

import { el, byId } from "./dom.js";
import { decisionState, decisionSummary } from "./decision.js";

/** Shows a banner. `kind`: "disagree" (loud), "error", "info". Returns the banner element. */
export function showBanner(kind, title, text) {
  const banner = el(
    "div",
    { className: `banner ${kind}`, role: kind === "info" ? "status" : "alert", "data-kind": kind },
    el("div", { className: "banner-text" }, el("strong", {}, title), el("span", {}, text)),
    el("button", { type: "button", className: "ghost banner-close", "aria-label": "Dismiss", onclick: () => banner.remove() }, "×"),
  );
  byId("banner-area").prepend(banner);
  return banner;
}

/** Removes every banner (when the session changes). */
export function clearBanners() {
  byId("banner-area").replaceChildren();
}

/**
 * Adds one line to the activity log. `predicted` is the client's Decision (or null when nothing was predicted);
 * `result` is `{ ok: true, summary }` or `{ ok: false, error }`.
 */
export function logActivity({ label, predicted, result, agreement }) {
  const state = predicted ? decisionState(predicted) : "unchecked";
  const server = result.ok
    ? el("span", { className: "server ok" }, result.summary || "OK")
    : el("span", { className: "server fail" }, describeError(result.error));
  const item = el(
    "li",
    { className: `activity-item ${agreement}`, "data-agreement": agreement, "data-ok": String(result.ok) },
    el("span", { className: "time" }, new Date().toLocaleTimeString()),
    el("span", { className: "what" }, label),
    el("span", { className: `predicted ${state}`, title: predicted ? decisionSummary(predicted) : "" }, state === "unchecked" ? "client: —" : `client: ${state}`),
    server,
    el("span", { className: `agreement ${agreement}` }, agreementText(agreement)),
  );
  byId("activity").prepend(item);
}

/** "403 forbidden: message (request id …)" for an ApiError or any other error. */
export function describeError(error) {
  if (!error) return "error";
  const parts = [];
  if (error.status) parts.push(String(error.status));
  if (error.code) parts.push(error.code);
  let text = parts.join(" ");
  const message = error.message || String(error);
  text = text ? `${text}: ${message}` : message;
  if (error.requestId) text += ` (request ${error.requestId})`;
  return text;
}

function agreementText(agreement) {
  return { agree: "as predicted", disagree: "SERVER DISAGREED", unchecked: "no check", failed: "failed" }[agreement] || agreement;
}
