// The Edit, Reset, Delete and show-the-secret-once dialogs.

import { el, byId } from "./dom.js";
import { app, decide } from "./app-state.js";
import { currentClient, useSecret } from "./session.js";
import { checkedCall } from "./checked-call.js";
import { decisionView, guardWarnings } from "./decision.js";
import { gate } from "./gate.js";
import { mountPolicyEditor, formatPolicy } from "./policy-editor.js";
import { showBanner } from "./activity.js";
import { isService, tokenLabel } from "./tokens-util.js";
import { readCreators } from "./creators.js";

/** Hooks the page calls back after a change: reload tokens, reload the caller, forget the session. */
let hooks = { afterChange: async () => {}, afterSelfReset: async () => {}, afterSelfDelete: async () => {} };
let editEditor = null;
let validatePolicy = () => [];

export const DEFAULT_INLINE_POLICY = `[
  {
    "effect": "allow",
    "actions": ["*"],
    "resources": ["proj/*:env/test:flag/*"]
  }
]`;

/** Wires the dialogs once. `validate` is the package's validatePolicy. */
export function setupDialogs(newHooks, validate) {
  hooks = { ...hooks, ...newHooks };
  validatePolicy = validate;
  editEditor = mountPolicyEditor(byId("edit-policy-editor"), {
    id: "edit-policy",
    label: "Inline policy (JSON statements)",
    initial: DEFAULT_INLINE_POLICY,
    validate: (v) => validatePolicy(v),
    onChange: () => refreshEditDecision(),
  });
  for (const id of ["edit-name", "edit-description"]) byId(id).addEventListener("input", refreshEditDecision);
  byId("edit-policy-toggle").addEventListener("change", () => {
    byId("edit-policy-wrap").hidden = !byId("edit-policy-toggle").checked;
    refreshEditDecision();
  });
  byId("edit-save").addEventListener("click", saveEdit);
  byId("reset-confirm").addEventListener("click", confirmReset);
  byId("delete-confirm").addEventListener("click", confirmDelete);
  byId("secret-copy").addEventListener("click", copySecret);
  // Whatever closes the dialog (button, Escape), the secret leaves the page.
  byId("secret-dialog").addEventListener("close", () => {
    byId("secret-value").value = "";
    byId("secret-copy-status").textContent = "";
  });
}

// ---- show a new secret once ----

/** Shows a freshly issued secret with a copy button. Nothing else keeps it. */
export function showSecretOnce(title, secret) {
  byId("secret-title").textContent = title;
  byId("secret-value").value = secret;
  byId("secret-copy-status").textContent = "";
  byId("secret-dialog").showModal();
  byId("secret-value").select();
}

async function copySecret() {
  const input = byId("secret-value");
  const status = byId("secret-copy-status");
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = "Copied to the clipboard.";
  } catch {
    // Clipboard permission can be refused (headless, iframes); selecting lets the user copy by hand.
    input.select();
    status.textContent = document.execCommand?.("copy") ? "Copied to the clipboard." : "Select the text and copy it by hand.";
  }
}

// ---- edit ----

let editing = null;

/** Opens the edit dialog for `token`. */
export function openEdit(token) {
  editing = token;
  byId("edit-title").textContent = tokenLabel(token);
  byId("edit-name").value = token.name || "";
  byId("edit-description").value = token.description || "";
  const toggle = byId("edit-policy-toggle");
  toggle.checked = false;
  toggle.disabled = isService(token);
  byId("edit-policy-note").textContent = isService(token)
    ? "A service token's permissions are fixed when it is created."
    : token.inlineRole?.length
      ? "The token has an inline policy; tick to edit it."
      : "Today the token uses " + (token.customRoleIds?.length ? "custom roles" : `the ${token.role || "reader"} role`) + ".";
  byId("edit-policy-wrap").hidden = true;
  editEditor.setText(token.inlineRole?.length ? formatPolicy(token.inlineRole) : DEFAULT_INLINE_POLICY);
  refreshEditDecision();
  byId("edit-dialog").showModal();
}

/** The JSON Patch that turns `editing` into what the form says. */
function buildPatch() {
  const ops = [];
  const t = editing;
  const name = byId("edit-name").value;
  const description = byId("edit-description").value;
  if (name !== (t.name || "")) ops.push({ op: t.name === undefined ? "add" : "replace", path: "/name", value: name });
  if (description !== (t.description || "")) ops.push({ op: t.description === undefined ? "add" : "replace", path: "/description", value: description });
  if (byId("edit-policy-toggle").checked) {
    const { statements } = editEditor.result();
    if (statements !== undefined && JSON.stringify(statements) !== JSON.stringify(t.inlineRole)) {
      // A token holds exactly one of role / customRoleIds / inlineRole, so the old form goes in the same patch.
      // Responses carry both lists, empty when unused; an empty one is not there to remove.
      if (t.role !== undefined) ops.push({ op: "remove", path: "/role" });
      if (t.customRoleIds?.length) ops.push({ op: "remove", path: "/customRoleIds" });
      ops.push({ op: t.inlineRole?.length ? "replace" : "add", path: "/inlineRole", value: statements });
    }
  }
  return ops;
}

function refreshEditDecision() {
  if (!editing) return;
  const save = byId("edit-save");
  const line = byId("edit-decision");
  const policyOn = byId("edit-policy-toggle").checked;
  if (policyOn && !editEditor.result().ok) {
    save.disabled = true;
    save.title = "Fix the policy's errors first";
    line.replaceChildren(el("p", { className: "hint" }, "Fix the policy's errors first."));
    return;
  }
  const ops = buildPatch();
  if (ops.length === 0) {
    save.disabled = true;
    save.title = "Nothing changed";
    line.replaceChildren(el("p", { className: "hint" }, "Nothing changed yet."));
    return;
  }
  const d = decide((p) => p.checkPatch(editing, ops), "this patch");
  gate(save, d);
  // The guards sit beside the decision, not inside it: a patch can be allowed and still lock the caller out.
  line.replaceChildren(decisionView(d), ...guardWarnings(d, { service: isService(editing) }));
}

async function saveEdit() {
  const token = editing;
  const ops = buildPatch();
  if (!token || ops.length === 0) return;
  const d = decide((p) => p.checkPatch(token, ops), "this patch");
  const res = await checkedCall({
    label: `patch ${tokenLabel(token)} (${ops.map((o) => `${o.op} ${o.path}`).join(", ")})`,
    decision: d,
    call: () => currentClient().update(token._id, ops),
    summarize: () => "200: updated",
  });
  if (res.ok) {
    byId("edit-dialog").close();
    await hooks.afterChange();
  }
}

// ---- reset ----

let resetting = null;

export function openReset(token, decision) {
  resetting = { token, decision };
  byId("reset-title").textContent = tokenLabel(token);
  byId("reset-grace").value = "0";
  byId("reset-decision").replaceChildren(decisionView(decision));
  gate(byId("reset-confirm"), decision);
  byId("reset-dialog").showModal();
  void warnOfEscalation(token, decision);
}

/**
 * A reset answers with the token's new secret, so the caller comes to hold whatever that token may do: the
 * package's checkReset says what that is beyond the token in use. It needs the token's creator (its cap), read
 * when it is not the caller's own member; a creator that cannot be read leaves those answers out, and the
 * warning says so.
 */
async function warnOfEscalation(token, decision) {
  const caller = app.caller;
  if (!caller?.principal || typeof caller.principal.checkReset !== "function" || !decision.allowed) return;
  const known = { members: caller.member ? [caller.member] : [], teams: caller.teams || [] };
  let found = known;
  try {
    found = await readCreators(currentClient(), [token], known);
  } catch {
    // Never thrown by readCreators; kept so a failure here cannot break the dialog.
  }
  if (resetting?.token !== token) return; // another dialog was opened meanwhile
  const member = found.members.find((m) => m._id === token.memberId) ?? null;
  const checked = decide((p) => p.checkReset(token, { member, teams: found.teams }), "this reset");
  byId("reset-decision").replaceChildren(decisionView(decision), ...guardWarnings(checked, { reset: true }));
}

async function confirmReset() {
  const { token, decision } = resetting;
  const grace = Number(byId("reset-grace").value);
  const opts = grace > 0 ? { expiry: Date.now() + grace } : {};
  const res = await checkedCall({
    label: `reset ${tokenLabel(token)}${grace > 0 ? " (old secret kept for a grace period)" : ""}`,
    decision,
    call: () => currentClient().reset(token._id, opts),
    summarize: (t) => `200: new secret …${String(t.token || "").slice(-4)}`,
  });
  byId("reset-dialog").close();
  if (!res.ok) return;
  const secret = res.value.token;
  const self = token._id === app.caller?.identity?.tokenId;
  if (self && !(grace > 0)) {
    // The old secret stopped working this instant; keep the page usable with the new one, in memory only.
    useSecret(secret);
    showBanner("info", "This page now uses the new secret", "You reset the token in use, so the page switched to its new secret (in memory only).");
    await hooks.afterSelfReset();
  } else {
    await hooks.afterChange();
  }
  showSecretOnce(`New secret for ${tokenLabel(res.value)}`, secret);
}

// ---- delete ----

let deleting = null;

export function openDelete(token, decision) {
  deleting = { token, decision };
  byId("delete-title").textContent = tokenLabel(token);
  byId("delete-decision").replaceChildren(decisionView(decision));
  gate(byId("delete-confirm"), decision);
  byId("delete-dialog").showModal();
}

async function confirmDelete() {
  const { token, decision } = deleting;
  const res = await checkedCall({
    label: `delete ${tokenLabel(token)}`,
    decision,
    call: () => currentClient().delete(token._id),
    summarize: () => "204: deleted",
  });
  byId("delete-dialog").close();
  if (!res.ok) return;
  if (token._id === app.caller?.identity?.tokenId) await hooks.afterSelfDelete();
  else await hooks.afterChange();
}

/** Re-validates the open edit form (after the package loads, say). */
export function revalidateDialogs() {
  editEditor?.revalidate();
}
