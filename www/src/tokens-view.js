// The token list: one page at a time, each row with Edit / Reset / Delete gated by the client-side checks.

import { el, byId, formatDate, formatDay } from "./dom.js";
import { app, changed, decideAction } from "./app-state.js";
import { currentClient, hasSession, readyToRender } from "./session.js";
import { checkedCall } from "./checked-call.js";
import { decisionView } from "./decision.js";
import { gate, anyOf } from "./gate.js";
import { isService, ownerLabel, permissionLabel, tokenLabel, tokenResource } from "./tokens-util.js";
import { openEdit, openReset, openDelete } from "./dialogs.js";

/** Fetches the page described by `app.listParams` and renders it. */
export async function loadTokens() {
  if (!hasSession()) return;
  const { showAll, limit, offset } = app.listParams;
  const params = { limit, offset };
  if (showAll) params.showAll = true;
  const res = await checkedCall({
    label: `list tokens (offset ${offset}, limit ${limit}${showAll ? ", showAll" : ""})`,
    decision: null,
    call: () => currentClient().list(params),
    summarize: (page) => `200: ${page.items.length} of ${page.totalCount ?? "?"} tokens`,
  });
  if (!res.ok) return;
  // A page past the end (after deletes) steps back to the last page that has items.
  if (res.value.items.length === 0 && offset > 0 && (res.value.totalCount ?? 0) > 0) {
    app.listParams.offset = Math.max(0, Math.floor((res.value.totalCount - 1) / limit) * limit);
    return loadTokens();
  }
  app.page = res.value;
  changed("tokens");
}

/** Renders `app.page`. */
export function renderTokens() {
  const body = byId("tokens-body");
  const pager = byId("pager");
  if (!readyToRender(body, app.page)) {
    pager.hidden = true;
    return;
  }
  const { items, totalCount } = app.page;
  const selfId = app.caller?.identity?.tokenId;
  if (items.length === 0) {
    body.replaceChildren(el("p", { className: "empty" }, "This caller sees no tokens."));
  } else {
    body.replaceChildren(
      el(
        "table",
        { className: "tokens", id: "tokens-table" },
        el("thead", {}, el("tr", {}, ["Name", "Kind", "Owner", "Permissions", "Secret", "Created", "Last used", "Actions"].map((h) => el("th", {}, h)))),
        el("tbody", {}, items.map((t) => tokenRow(t, t._id === selfId))),
      ),
    );
  }
  // showAll only means something to an Admin token; say so rather than let the server ignore it silently.
  const principal = app.caller?.principal;
  const admin = principal ? principal.isAdmin === true : false;
  const showAllLabel = byId("show-all-label");
  showAllLabel.classList.toggle("muted", !admin);
  showAllLabel.title = admin
    ? "List every member's personal tokens (this token is Admin)"
    : "Only an Admin token may list other members' personal tokens; for this token the server ignores showAll";
  const { limit, offset } = app.listParams;
  const total = totalCount ?? items.length;
  pager.hidden = false;
  byId("page-info").textContent = items.length ? `${offset + 1}–${offset + items.length} of ${total}` : `0 of ${total}`;
  byId("page-prev").disabled = offset === 0;
  byId("page-next").disabled = !app.page._links?.next && offset + items.length >= total;
  void limit;
}

function tokenRow(token, isSelf) {
  const resource = tokenResource(token);
  const can = (action) => decideAction(token, action);
  const nameD = can("updateAccessTokenName");
  const descD = can("updateAccessTokenDescription");
  const edits = [
    ["updateAccessTokenName", nameD, resource],
    ["updateAccessTokenDescription", descD, resource],
  ];
  if (!isService(token)) edits.push(["updateAccessTokenPolicy", can("updateAccessTokenPolicy"), resource]);
  const editD = anyOf(edits);
  const resetD = can("resetAccessToken");
  const deleteD = can("deleteAccessToken");

  const editBtn = el("button", { type: "button", className: "small", "data-action": "edit", onclick: () => openEdit(token) }, "Edit");
  const resetBtn = el("button", { type: "button", className: "small", "data-action": "reset", onclick: () => openReset(token, resetD) }, "Reset");
  const deleteBtn = el("button", { type: "button", className: "small danger-outline", "data-action": "delete", onclick: () => openDelete(token, deleteD) }, "Delete");
  gate(editBtn, editD);
  gate(resetBtn, resetD);
  gate(deleteBtn, deleteD);

  const perm = permissionLabel(token, app.rolesById);
  const why = el(
    "details",
    { className: "why" },
    el("summary", {}, "why?"),
    el(
      "ul",
      {},
      [
        ["edit", editD],
        ["reset", resetD],
        ["delete", deleteD],
      ].map(([label, d]) => el("li", { "data-why": label }, el("span", { className: "why-label" }, label), decisionView(d, { compact: true }))),
    ),
  );

  return el(
    "tr",
    { "data-token-id": token._id, "data-token-name": token.name || "", className: isSelf ? "self" : "" },
    el(
      "td",
      { className: "name" },
      el("div", {}, el("strong", {}, tokenLabel(token)), isSelf ? el("span", { className: "badge you" }, "this token") : null),
      token.description ? el("div", { className: "desc" }, token.description) : null,
    ),
    el("td", {}, el("span", { className: `badge ${isService(token) ? "service" : "personal"}` }, isService(token) ? "service" : "personal")),
    ownerCell(token),
    el("td", {}, el("span", { className: `perm ${perm.kind}` }, perm.text)),
    el("td", {}, el("code", { className: "secret-tail" }, `…${String(token.token || "").slice(-4)}`)),
    el("td", { className: "date", title: formatDate(token.creationDate) }, formatDay(token.creationDate)),
    el("td", { className: "date", title: formatDate(token.lastUsed) }, formatDay(token.lastUsed)),
    el("td", { className: "actions" }, el("div", { className: "btn-row" }, editBtn, resetBtn, deleteBtn), why),
  );
}

function ownerCell(token) {
  const { name, email } = ownerLabel(token);
  return el("td", { className: "owner" }, el("div", {}, name), email ? el("div", { className: "email" }, email) : null);
}
