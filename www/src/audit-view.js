// The token audit: every token the caller can see, checked by the package's auditTokens against its creator (the
// caller's member from the session, the others read for the audit by creators.js), the creators' teams and the
// custom roles the caller can read: what each token asks beyond its creator, the roles it names that could not
// be read, and how long it has been idle. The audit itself runs in a worker (audit-worker.js), in slices, so the
// page stays responsive, shows how far it is, and can cancel it.

import { el, byId, formatDate } from "./dom.js";
import { app } from "./app-state.js";
import { hasSession, currentClient, readyToRender } from "./session.js";
import { loadAllTokens } from "./all-tokens.js";
import { loadCreators, unreadNote } from "./creators.js";
import { witnessList } from "./decision.js";

let tokens = null;
/** `{ members, teams, unread }` from loadCreators, for the tokens above. */
let creators = null;
/** The audit's state: `running` with `progress`, `done` with `audits`, `failed` with `error`, or `cancelled`. */
let run = { state: "idle" };
/** The worker of the audit in progress, and the number of the latest run (older runs' messages are dropped). */
let worker = null;
let runs = 0;

/**
 * Loads every visible token (all pages, showAll as the list view has it) and their creators, then renders the
 * audit. Results that arrive after the token in use changed are dropped: they belong to another caller.
 */
export async function loadAudit() {
  if (!hasSession()) {
    clearAudit();
    return;
  }
  const client = currentClient();
  const list = await loadAllTokens("audit");
  if (!stillInUse(client)) return;
  const found = await loadCreators(client, list);
  if (!stillInUse(client)) return;
  tokens = list;
  creators = found;
  startAudit();
  renderAudit();
}

/** Whether `client` is still the session's: a forgotten token must not be used for the remaining reads. */
function stillInUse(client) {
  return hasSession() && currentClient() === client;
}

export function clearAudit() {
  stopWorker();
  tokens = null;
  creators = null;
  run = { state: "idle" };
  renderAudit();
}

/** Starts the audit of `tokens` in a worker; renders its progress, then its result. */
function startAudit() {
  stopWorker();
  const id = ++runs;
  run = { state: "running", progress: { done: 0, total: tokens.length } };
  worker = new Worker(new URL("./audit-worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    if (data.id !== id) return;
    if (data.progress) {
      run = { state: "running", progress: data.progress };
    } else {
      stopWorker();
      run = data.error ? { state: "failed", error: data.error } : { state: "done", audits: data.audits };
    }
    renderAudit();
  };
  worker.onerror = (event) => {
    stopWorker();
    run = { state: "failed", error: { message: event.message || "the audit's worker stopped" } };
    renderAudit();
  };
  worker.postMessage({
    id,
    tokens,
    options: {
      members: creators?.members || [],
      roles: app.caller?.roles || [],
      teams: creators?.teams || [],
      limit: 3,
    },
  });
}

function stopWorker() {
  worker?.terminate();
  worker = null;
}

/** Ends the audit in progress; what it had worked out is dropped. */
function cancelAudit() {
  stopWorker();
  run = { state: "cancelled" };
  renderAudit();
}

export function renderAudit() {
  const body = byId("audit-body");
  if (!readyToRender(body, tokens !== null)) return;
  if (!tokens.length) {
    body.replaceChildren(el("p", { className: "empty" }, "This caller sees no tokens."));
    return;
  }
  if (run.state === "running") {
    const { done, total } = run.progress;
    body.replaceChildren(
      el(
        "p",
        { className: "audit-progress", id: "audit-progress" },
        el("progress", { max: String(total), value: String(done) }),
        ` Auditing: ${done} of ${total} ${total === 1 ? "token" : "tokens"} checked… `,
        el("button", { type: "button", className: "small", id: "audit-cancel", onclick: cancelAudit }, "Cancel"),
      ),
    );
    return;
  }
  if (run.state === "cancelled" || run.state === "failed") {
    const text = run.state === "cancelled" ? "The audit was cancelled." : `The audit could not run: ${run.error?.message}`;
    body.replaceChildren(
      el("p", { className: "hint", id: "audit-stopped" }, `${text} `, el("button", { type: "button", className: "small", id: "audit-again", onclick: startAudit }, "Audit again")),
    );
    return;
  }
  if (run.state !== "done") return;
  const { audits } = run;
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
  body.replaceChildren(...[summary, unreadLine(), el("div", { className: "table-scroll" }, table)].filter(Boolean));
}

/** Why some tokens are "not checked": the creators (and teams) that could not be read. Null when none failed. */
function unreadLine() {
  const note = unreadNote(creators?.unread || []);
  return note ? el("p", { className: "hint audit-unread", id: "audit-unread" }, note) : null;
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
