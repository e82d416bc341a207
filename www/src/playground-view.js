// The policy playground: statements + action + resource in, Decision and explanation out, entirely in the page.

import { el, byId } from "./dom.js";
import { decisionView } from "./decision.js";
import { mountPolicyEditor, formatPolicy } from "./policy-editor.js";

/** Acting on anything in a project needs viewing the project: the presets that act in projects grant it last. */
const VIEW_PROJECTS = { effect: "allow", actions: ["viewProject"], resources: ["proj/*"] };

/** Worked examples, each showing one rule of the engine. */
const PRESETS = [
  {
    title: "A deny beats an allow",
    action: "updateFeatureFlag",
    resource: "proj/mobile:env/production:flag/new-checkout",
    attrs: "",
    statements: [
      { effect: "allow", actions: ["*"], resources: ["proj/*:env/*:flag/*"] },
      { effect: "deny", actions: ["update*"], resources: ["proj/*:env/production:flag/*"] },
      VIEW_PROJECTS,
    ],
  },
  {
    title: "Viewing is required to modify",
    action: "updateFeatureFlag",
    resource: "proj/mobile:env/test:flag/new-checkout",
    attrs: "",
    statements: [{ effect: "allow", actions: ["*"], resources: ["proj/*:env/*:flag/*"] }],
  },
  {
    title: "Critical environments: a property the resource states",
    action: "deleteFlag",
    resource: "proj/mobile:env/production;{critical:true}:flag/new-checkout",
    attrs: "",
    statements: [
      { effect: "allow", actions: ["*"], resources: ["proj/*:env/*:flag/*"] },
      { effect: "deny", actions: ["deleteFlag"], resources: ["proj/*:env/*;{critical:true}:flag/*"] },
      VIEW_PROJECTS,
    ],
  },
  {
    title: "Views: flags linked to the member's views",
    action: "updateOn",
    resource: "proj/web:env/test:flag/banner;view:checkout",
    attrs: '{"viewKeys": ["checkout"]}',
    statements: [
      { effect: "allow", actions: ["*"], resources: ["proj/*:env/*:flag/*;view:${roleAttribute/viewKeys}"] },
      VIEW_PROJECTS,
    ],
  },
  {
    title: "Tags: every tag must be present",
    action: "updateFeatureFlag",
    resource: "proj/web:env/qa-1;qa,temp:flag/banner",
    attrs: "",
    statements: [
      { effect: "allow", actions: ["updateFeatureFlag"], resources: ["proj/*:env/*;qa,temp:flag/*"] },
      VIEW_PROJECTS,
    ],
  },
  {
    title: "notActions: everything except",
    action: "deleteFlag",
    resource: "proj/web:env/test:flag/banner",
    attrs: "",
    statements: [{ effect: "allow", notActions: ["deleteFlag"], resources: ["proj/*:env/*:flag/*"] }, VIEW_PROJECTS],
  },
  {
    title: "Role attributes expand per member",
    action: "updateFeatureFlag",
    resource: "proj/mobile:env/test:flag/checkout",
    attrs: '{"projects": ["mobile", "web"]}',
    statements: [
      { effect: "allow", actions: ["*"], resources: ["proj/${roleAttribute/projects}:env/*:flag/*"] },
      { effect: "allow", actions: ["viewProject"], resources: ["proj/${roleAttribute/projects}"] },
    ],
  },
  {
    title: "Managing personal tokens",
    action: "resetAccessToken",
    resource: "member/5f1a00000000000000000003:token/5f1c00000000000000000003",
    attrs: "",
    statements: [
      { effect: "allow", actions: ["updateAccessToken*", "resetAccessToken"], resources: ["member/*:token/*"] },
      { effect: "deny", actions: ["*"], resources: ["service-token/*"] },
    ],
  },
];
const EXAMPLE = formatPolicy(PRESETS[0].statements);

let engine = null;
let editor = null;
let changed = null;

/** Wires the playground once the package is loaded. `pkg` provides evaluate, validatePolicy, parseResource. */
export function setupPlayground(pkg) {
  engine = pkg;
  editor = mountPolicyEditor(byId("playground-editor"), {
    id: "playground-policy",
    label: "Statements",
    initial: EXAMPLE,
    validate: (v) => engine.validatePolicy(v),
    onChange: () => evaluateNow(),
  });
  for (const id of ["pg-action", "pg-resource", "pg-attrs"]) byId(id).addEventListener("input", evaluateNow);
  const presets = byId("pg-preset");
  presets.replaceChildren(...PRESETS.map((p, i) => el("option", { value: String(i) }, p.title)));
  presets.addEventListener("change", () => loadPreset(PRESETS[Number(presets.value)]));
  changed = mountPolicyEditor(byId("change-editor"), {
    id: "change-policy",
    label: "Statements after the change",
    initial: EXAMPLE,
    validate: (v) => engine.validatePolicy(v),
    onChange: () => compareNow(),
  });
  byId("change-reset").addEventListener("click", () => changed.setText(editor.getText()));
  loadPreset(PRESETS[0]);
}

function loadPreset(preset) {
  byId("pg-action").value = preset.action;
  byId("pg-resource").value = preset.resource;
  byId("pg-attrs").value = preset.attrs;
  editor.setText(formatPolicy(preset.statements));
  changed.setText(formatPolicy(preset.statements));
}

/** Role attributes from the playground's field: `undefined` when empty, `null` when not JSON. */
function playgroundAttrs() {
  const text = byId("pg-attrs").value.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** One witness: the action and resource, and what each policy says. */
function witnessItem(difference, kind) {
  return el(
    "li",
    { className: `witness ${kind}` },
    el("span", { className: `dot ${kind === "granted" ? "allowed" : "denied"}` }),
    el("code", {}, difference.action),
    " on ",
    el("code", {}, difference.resource),
    el("span", { className: "hint" }, ` — before: ${difference.before.summary}; after: ${difference.after.summary}`),
  );
}

/** The granted and revoked witnesses of the edited copy against the statements above. */
function compareNow() {
  if (!engine || !editor || !changed) return;
  const out = byId("change-result");
  const before = editor.result();
  const after = changed.result();
  if (!before.ok || !after.ok) {
    out.replaceChildren(el("p", { className: "hint" }, "Fix both policies' errors to compare them."));
    return;
  }
  const roleAttributes = playgroundAttrs();
  if (roleAttributes === null) {
    out.replaceChildren(el("p", { className: "error-text" }, "Role attributes are not valid JSON."));
    return;
  }
  try {
    const comparison = engine.comparePolicies(before.statements, after.statements, roleAttributes ? { roleAttributes, limit: 10 } : { limit: 10 });
    if (comparison.equivalent) {
      out.replaceChildren(el("p", { className: "change-none", "data-state": "equivalent" }, "No change: both allow exactly the same requests."));
      return;
    }
    const section = (kind, title, differences) =>
      differences.total === 0
        ? el("p", { className: `hint change-${kind}` }, `Nothing ${kind}.`)
        : el(
            "div",
            { className: `change-${kind}`, "data-total": String(differences.total) },
            el("h3", {}, `This change ${title} (${differences.total} ${differences.total === 1 ? "kind of request" : "kinds of request"})`),
            el("ul", { className: "witnesses" }, differences.witnesses.map((d) => witnessItem(d, kind))),
          );
    out.replaceChildren(section("granted", "grants", comparison.granted), section("revoked", "revokes", comparison.revoked));
  } catch (err) {
    out.replaceChildren(el("p", { className: "error-text", "data-code": err?.code || "" }, `${err?.code ? `${err.code}: ` : ""}${err?.message || err}`));
  }
}

function evaluateNow() {
  compareNow();
  if (!engine || !editor) return;
  const out = byId("pg-result");
  const action = byId("pg-action").value.trim();
  const resource = byId("pg-resource").value.trim();
  renderResourceParse(resource);

  const { statements, ok } = editor.result();
  if (!ok) {
    out.replaceChildren(el("p", { className: "hint" }, "Fix the statements' errors to see a decision."));
    return;
  }
  let roleAttributes;
  const attrsText = byId("pg-attrs").value.trim();
  if (attrsText) {
    try {
      roleAttributes = JSON.parse(attrsText);
    } catch (err) {
      out.replaceChildren(el("p", { className: "error-text" }, `Role attributes are not valid JSON: ${err.message}`));
      return;
    }
  }
  try {
    const decision = engine.evaluate(statements, action, resource, roleAttributes ? { roleAttributes } : {});
    const matched = (decision.matched || []).map((m) =>
      el(
        "li",
        { className: `match ${m.effect}` },
        el("span", { className: `dot ${m.effect === "allow" ? "allowed" : "denied"}` }),
        el("strong", {}, `#${m.statement} ${m.effect}`),
        el("pre", { className: "mini-json" }, JSON.stringify(statements[m.statement], null, 1).replace(/\n\s*/g, " ")),
      ),
    );
    out.replaceChildren(
      el("h3", {}, "Decision"),
      decisionView(decision, { compact: true }),
      el("h3", {}, "Matching statements"),
      matched.length ? el("ul", { className: "matched" }, matched) : el("p", { className: "hint" }, "None matched: anything not allowed is denied."),
    );
  } catch (err) {
    out.replaceChildren(el("p", { className: "error-text", "data-code": err?.code || "" }, `${err?.code ? `${err.code}: ` : ""}${err?.message || err}`));
  }
}

/** Shows the resource's segments, or the specifier error underlined at its span. */
function renderResourceParse(resource) {
  const box = byId("pg-resource-parse");
  try {
    const segments = engine.parseResource(resource);
    box.replaceChildren(
      ...segments.map((s, i) =>
        el(
          "span",
          { className: "segment" },
          i ? el("span", { className: "sep" }, ":") : null,
          el("span", { className: "seg-type" }, s.type ?? s.resourceType),
          "/",
          el("span", { className: "seg-name" }, s.name),
          s.tags?.length ? el("span", { className: "seg-tags" }, `;${s.tags.join(",")}`) : null,
        ),
      ),
    );
  } catch (err) {
    const span = err?.span;
    const chars = [...resource];
    const parts = span
      ? [chars.slice(0, span.start).join(""), el("mark", { className: "diag error" }, chars.slice(span.start, Math.max(span.end, span.start + 1)).join("") || " "), chars.slice(Math.max(span.end, span.start + 1)).join("")]
      : [resource];
    box.replaceChildren(el("code", { className: "spec-error" }, ...parts), el("span", { className: "error-text" }, ` ${err?.code ? `${err.code}: ` : ""}${err?.message || err}`));
  }
}
