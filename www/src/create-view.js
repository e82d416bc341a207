// The create form: name, description, kind, and one of base role / custom roles / inline policy, checked live.

import { el, byId } from "./dom.js";
import { app, decide } from "./app-state.js";
import { currentClient, hasSession } from "./session.js";
import { checkedCall } from "./checked-call.js";
import { decisionView, guardWarnings } from "./decision.js";
import { gate } from "./gate.js";
import { mountPolicyEditor } from "./policy-editor.js";
import { showSecretOnce, DEFAULT_INLINE_POLICY } from "./dialogs.js";

let editor = null;
let afterCreate = async () => {};

/** Wires the form once. */
export function setupCreate({ validate, onCreated }) {
  afterCreate = onCreated;
  editor = mountPolicyEditor(byId("create-policy-editor"), {
    id: "create-policy",
    label: "Inline policy (JSON statements)",
    initial: DEFAULT_INLINE_POLICY,
    validate,
    onChange: () => refreshCreateDecision(),
  });
  const form = byId("create-form");
  form.addEventListener("input", refreshCreateDecision);
  form.addEventListener("change", () => {
    const perm = form.elements.perm.value;
    for (const panel of form.querySelectorAll(".perm-panel")) panel.hidden = panel.dataset.perm !== perm;
    refreshCreateDecision();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submitCreate();
  });
}

/** Lists the custom roles the caller can read as checkboxes. */
export function renderCreateRoles() {
  const box = byId("create-custom-roles");
  const roles = app.caller?.roles || [];
  if (!roles.length) {
    box.className = "checklist empty";
    box.replaceChildren("No custom roles visible to this token.");
  } else {
    box.className = "checklist";
    box.replaceChildren(
      ...roles.map((r) =>
        el("label", {}, el("input", { type: "checkbox", value: r._id || r.key, name: "customRole" }), " ", el("strong", {}, r.name || r.key), " ", el("code", {}, r.key)),
      ),
    );
  }
  refreshCreateDecision();
}

/** The AccessTokenPost the form describes, or `{ error }` when it cannot be built yet. */
function buildBody() {
  const form = byId("create-form");
  const body = {};
  const name = byId("create-name").value.trim();
  const description = byId("create-description").value.trim();
  if (name) body.name = name;
  if (description) body.description = description;
  if (form.elements.kind.value === "service") body.serviceToken = true;
  const perm = form.elements.perm.value;
  if (perm === "role") body.role = byId("create-role").value;
  else if (perm === "custom") {
    const ids = [...form.querySelectorAll('input[name="customRole"]:checked')].map((i) => i.value);
    if (!ids.length) return { error: "Choose at least one custom role." };
    body.customRoleIds = ids;
  } else {
    const { statements, ok } = editor.result();
    if (!ok) return { error: "Fix the policy's errors first." };
    body.inlineRole = statements;
  }
  return { body };
}

function refreshCreateDecision() {
  const submit = byId("create-submit");
  const line = byId("create-decision");
  if (!hasSession()) {
    submit.disabled = true;
    line.replaceChildren(el("p", { className: "hint" }, "Pick or paste a token first."));
    return;
  }
  const { body, error } = buildBody();
  if (error) {
    submit.disabled = true;
    submit.title = error;
    line.replaceChildren(el("p", { className: "hint" }, error));
    return;
  }
  const d = decide((p) => p.checkCreate(body), "create");
  gate(submit, d);
  // What the new token could do, and what it would ask beyond its creator, before anything is sent.
  line.replaceChildren(decisionView(d, { create: true }), ...guardWarnings(d, { service: body.serviceToken === true }));
}

async function submitCreate() {
  const { body } = buildBody();
  if (!body) return;
  const d = decide((p) => p.checkCreate(body), "create");
  const res = await checkedCall({
    label: `create ${body.serviceToken ? "service" : "personal"} token ${body.name || "(unnamed)"}`,
    decision: d,
    call: () => currentClient().create(body),
    summarize: (t) => `201: created …${String(t.token || "").slice(-4)}`,
  });
  if (!res.ok) return;
  await afterCreate();
  showSecretOnce(`Secret for ${res.value.name || "the new token"}`, res.value.token);
  byId("create-name").value = "";
  byId("create-description").value = "";
  refreshCreateDecision();
}

export { refreshCreateDecision };
