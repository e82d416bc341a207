// The token audit: every token the caller can see, checked by the package's auditTokens against what the session
// knows (the caller's member, its teams and the custom roles it can read): what each token asks beyond its
// creator, the roles it names that could not be read, and how long it has been idle.

import { auditTokens } from "tokengate/web";
import { el, byId, formatDate } from "./dom.js";
import { app } from "./app-state.js";
import { hasSession } from "./session.js";
import { loadAllTokens } from "./all-tokens.js";
import { witnessList } from "./decision.js";

let tokens = null;

/** Loads every visible token (all pages, showAll as the list view has it) and renders the audit. */
export async function loadAudit() {
  if (!hasSession()) {
    tokens = null;
    return renderAudit();
  }
  tokens = await loadAllTokens("audit");
  renderAudit();
}

export function clearAudit() {
  tokens = null;
  renderAudit();
}

/** The audit of `tokens` with what the session knows; `{ error }` when the package refuses the input. */
function runAudit(list) {
  const caller = app.caller;
  try {
    return {
      audits: auditTokens(list, {
        members: caller?.member ? [caller.member] : [],
        roles: caller?.roles || [],
        teams: caller?.teams || [],
        limit: 3,
      }),
    };
  } catch (error) {
    return { error };
  }
}

export function renderAudit() {
  const body = byId("audit-body");
  if (!hasSession() || tokens === null) {
    body.className = "empty";
    body.replaceChildren(hasSession() ? "Loading…" : "No token in use.");
    return;
  }
  body.className = "";
  if (!tokens.length) {
    body.replaceChildren(el("p", { className: "empty" }, "This caller sees no tokens."));
    return;
  }
  const { audits, error } = runAudit(tokens);
  if (error) {
    body.replaceChildren(el("p", { className: "hint" }, `The audit could not run: ${error?.message || error}`));
    return;
  }
  const selfId = app.caller?.identity?.tokenId;
  const beyond = audits.filter((a) => a.beyondCreator?.total > 0).length;
  const unchecked = audits.filter((a) => a.beyondCreator === null).length;
  const never = audits.filter((a) => a.lastUsed === null).length;
  const summary = el(
    "p",
    { className: "audit-summary", id: "audit-summary" },
    `${audits.length} ${audits.length === 1 ? "token" : "tokens"}: ${beyond} ${beyond === 1 ? "asks" : "ask"} beyond ${beyond === 1 ? "its creator" : "their creators"}, `,
    `${unchecked} could not be checked, ${never} never used.`,
  );
  const table = el(
    "table",
    { className: "tokens audit", id: "audit-table" },
    el(
      "thead",
      {},
      el("tr", {}, ["Token", "Beyond its creator", "Missing roles", "Idle", "Not checked"].map((h) => el("th", { scope: "col" }, h))),
    ),
    el(
      "tbody",
      {},
      audits.map((a) => auditRow(a, a.tokenId === selfId)),
    ),
  );
  body.replaceChildren(summary, el("div", { className: "table-scroll" }, table));
}

function auditRow(audit, isSelf) {
  return el(
    "tr",
    { "data-token-id": audit.tokenId, "data-token-name": audit.name || "", className: isSelf ? "self" : "" },
    el(
      "th",
      { scope: "row" },
      el("span", { className: `kind-dot ${audit.service ? "service" : "personal"}`, title: audit.service ? "service token" : "personal token" }),
      audit.name || audit.tokenId,
      isSelf ? el("span", { className: "badge you" }, "this token") : null,
    ),
    beyondCell(audit),
    el("td", { className: audit.missingRoles.length ? "missing-roles finding" : "missing-roles" }, audit.missingRoles.length ? audit.missingRoles.map((r, i) => [i ? ", " : "", el("code", {}, r)]) : "none"),
    idleCell(audit),
    el(
      "td",
      { className: "unchecked" },
      audit.unchecked || (audit.missing.length ? "" : "—"),
      audit.missing.length ? el("div", { className: "hint" }, "not supplied: ", audit.missing.map((m, i) => [i ? ", " : "", el("code", {}, m)])) : null,
    ),
  );
}

function beyondCell(audit) {
  const b = audit.beyondCreator;
  if (b === null) return el("td", { className: "beyond", "data-total": "" }, el("span", { className: "hint" }, "not checked"));
  if (b.total === 0) return el("td", { className: "beyond", "data-total": "0" }, "nothing");
  return el(
    "td",
    { className: "beyond finding", "data-total": String(b.total) },
    el("span", { className: "count" }, `${b.total} ${b.total === 1 ? "kind" : "kinds"} of request, refused at use`),
    witnessList(b),
  );
}

function idleCell(audit) {
  const text = audit.idleDays === null ? "never used" : audit.idleDays === 0 ? "used today" : `${audit.idleDays} ${audit.idleDays === 1 ? "day" : "days"}`;
  return el("td", { className: "idle", title: audit.lastUsed ? `last used ${formatDate(audit.lastUsed)}` : "" }, text);
}
