// The permission matrix: every token the caller can see down, token actions across, one Decision per cell.

import { el, byId } from "./dom.js";
import { app, decide, decideAction } from "./app-state.js";
import { hasSession, readyToRender } from "./session.js";
import { loadAllTokens } from "./all-tokens.js";
import { decisionState, decisionTooltip, labelOf } from "./decision.js";
import { ACTION_TITLES, TOKEN_ACTIONS, actionApplies, isService, tokenLabel } from "./tokens-util.js";

let tokens = null;

/** Loads every visible token (all pages) for the matrix. */
export async function loadMatrix() {
  if (!hasSession()) {
    tokens = null;
    return renderMatrix();
  }
  tokens = await loadAllTokens("matrix");
  renderMatrix();
}

export function clearMatrix() {
  tokens = null;
  renderMatrix();
}

export function renderMatrix() {
  const body = byId("matrix-body");
  if (!readyToRender(body, tokens !== null)) return;
  const creates = [
    ["create personal token", decide((p) => p.checkCreate({ role: "reader" }), "create")],
    ["create service token", decide((p) => p.checkCreate({ role: "reader", serviceToken: true }), "create")],
  ];
  const createRow = el(
    "div",
    { className: "chips create-chips" },
    creates.map(([label, d]) => el("span", { className: `cell-chip ${decisionState(d)}`, title: decisionTooltip(d) }, `${label}: ${labelOf(d).toLowerCase()}`)),
  );
  const selfId = app.caller?.identity?.tokenId;
  const table = el(
    "table",
    { className: "matrix", id: "matrix-table" },
    el("thead", {}, el("tr", {}, el("th", {}, "Token"), TOKEN_ACTIONS.map((a) => el("th", { title: a }, ACTION_TITLES[a])))),
    el(
      "tbody",
      {},
      tokens.map((t) =>
        el(
          "tr",
          { "data-token-id": t._id },
          el(
            "th",
            { scope: "row" },
            el("span", { className: `kind-dot ${isService(t) ? "service" : "personal"}`, title: isService(t) ? "service token" : "personal token" }),
            tokenLabel(t),
            t._id === selfId ? el("span", { className: "badge you" }, "this token") : null,
          ),
          TOKEN_ACTIONS.map((action) => matrixCell(t, action)),
        ),
      ),
    ),
  );
  body.replaceChildren(createRow, el("div", { className: "table-scroll" }, table));
}

function matrixCell(token, action) {
  if (!actionApplies(token, action)) {
    return el("td", { className: "cell na", "data-action": action, "data-state": "na", title: "A service token's policy is fixed at creation" }, "n/a");
  }
  const d = decideAction(token, action);
  const state = decisionState(d);
  const symbol = { allowed: "✓", denied: "✕", indeterminate: "?" }[state];
  return el("td", { className: `cell ${state}`, "data-action": action, "data-state": state, title: decisionTooltip(d) }, el("span", { className: "sym" }, symbol), el("span", { className: "cell-label" }, labelOf(d)));
}
