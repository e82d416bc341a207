// Turning the engine's Decision objects into words, colours and button states.

import { el } from "./dom.js";

/** "allowed" | "denied" | "indeterminate": the colour a Decision gets. */
export function decisionState(decision) {
  if (!decision) return "indeterminate";
  if (decision.indeterminate) return "indeterminate";
  return decision.allowed ? "allowed" : "denied";
}

/** One line a person reads at a glance: the engine's summary (the page's own decisions carry only a reason). */
export function decisionSummary(decision) {
  if (!decision) return "No decision";
  return decision.summary || decision.reason || (decision.allowed ? "Allowed" : "Denied");
}

/** The whole reason, with the roles the caller could not see. */
function fullReason(decision) {
  let text = decision.reason || "";
  if (decision.missingRoles?.length) text += ` (roles not visible to this caller: ${decision.missingRoles.join(", ")})`;
  return text;
}

const LAYERS = {
  policy: "the policy",
  tokenRoles: "the token's own roles",
  creatorCap: "its creator's cap",
  viewRule: "the view rule",
  visibility: "visibility",
  request: "the request itself",
};

/** "Decided by the token's own roles: custom role “QA”, statement #2". */
function decidedByText(decidedBy) {
  if (!decidedBy) return "";
  let text = `Decided by ${LAYERS[decidedBy.layer] || decidedBy.layer}`;
  if (decidedBy.role) text += `: ${roleLabel(decidedBy.role)}`;
  if (decidedBy.statement !== undefined) text += `${decidedBy.role ? "," : ":"} statement #${decidedBy.statement}`;
  if (decidedBy.replacedBaseRole) text += ` (base role ${decidedBy.replacedBaseRole} is replaced by the member's custom roles)`;
  return text;
}

/** Whether a matched statement is the one that decided. */
function decided(decision, m) {
  const by = decision.decidedBy;
  return by?.statement === m.statement && (by.role?.key ?? null) === (m.role?.key ?? null);
}

/** What the decision could not know, and the project it could not view, as list items. */
function gaps(decision) {
  const items = [];
  for (const fact of decision.missingFacts || []) {
    items.push(el("li", { className: "check indeterminate" }, el("span", { className: "dot indeterminate" }), "the resource does not state the ", fact));
  }
  if (decision.viewRequired) {
    items.push(
      el("li", { className: "check denied" }, el("span", { className: "dot denied" }), "viewing is required to modify: nothing allows ", el("code", {}, "viewProject"), " on ", el("code", {}, decision.viewRequired)),
    );
  }
  return items;
}

/** Multi-line explanation for tooltips: reason, each required action, each matched statement. */
export function decisionTooltip(decision) {
  if (!decision) return "";
  const lines = [`${labelOf(decision)}: ${decisionSummary(decision)}`];
  if (decision.summary && decision.reason) lines.push(fullReason(decision));
  for (const check of decision.checks || []) {
    lines.push(`• ${check.action} on ${check.resource}: ${check.indeterminate ? "indeterminate" : check.allowed ? "allowed" : "denied"}${check.reason ? ` (${check.reason})` : ""}`);
  }
  for (const m of decision.matched || []) {
    lines.push(`• ${m.effect} by statement #${m.statement}${m.role ? ` of ${roleLabel(m.role)}` : ""}`);
  }
  return lines.join("\n");
}

/** A block showing a Decision: coloured effect badge and its one-line summary; the layer that decided, the
 * whole reason, the checks and the matched statements (the deciding one first) behind a "Why" disclosure.
 * `create`: the decision is a create's, whose preview is what the new token could do. */
export function decisionView(decision, { compact = false, create = false } = {}) {
  const state = decisionState(decision);
  const node = el(
    "div",
    { className: `decision ${state}`, "data-state": state, "data-effect": decision?.effect || "" },
    el("span", { className: `badge ${state}` }, labelOf(decision)),
    el("span", { className: "reason" }, decisionSummary(decision)),
  );
  if (compact || !decision) return node;
  const details = [];
  const by = decidedByText(decision.decidedBy);
  if (by) details.push(el("li", { className: "decided-by" }, by));
  if (decision.summary && decision.reason) details.push(el("li", { className: "full-reason" }, fullReason(decision)));
  details.push(...gaps(decision));
  for (const check of decision.checks || []) {
    const s = check.indeterminate ? "indeterminate" : check.allowed ? "allowed" : "denied";
    details.push(
      el("li", { className: `check ${s}` }, el("span", { className: `dot ${s}` }), el("code", {}, check.action), " on ", el("code", {}, check.resource), check.reason ? ` — ${check.reason}` : ""),
    );
  }
  const matched = [...(decision.matched || [])].sort((a, b) => decided(decision, b) - decided(decision, a));
  for (const m of matched) {
    details.push(
      el("li", { className: `match ${m.effect}${decided(decision, m) ? " deciding" : ""}` }, el("span", { className: `dot ${m.effect === "allow" ? "allowed" : "denied"}` }), `${m.effect} — statement #${m.statement}`, m.role ? ` of ${roleLabel(m.role)}` : "", m.uncertain ? " (may apply: depends on what the resource leaves out)" : ""),
    );
  }
  if (details.length) {
    node.append(el("details", { className: "decision-why" }, el("summary", {}, "Why"), el("ul", { className: "decision-details" }, details)));
  }
  if (decision.preview) node.append(create ? createPreviewView(decision.preview) : previewView(decision.preview));
  return node;
}

/** One line of a preview: a verb, how many kinds of request, and the first witnesses. */
function previewLine(kind, verb, differences) {
  return el(
    "li",
    { className: `preview-${kind}`, "data-total": String(differences.total) },
    el("span", { className: `dot ${kind === "granted" ? "allowed" : "denied"}` }),
    differences.total === 0 ? `${verb} nothing` : `${verb} ${differences.total} ${differences.total === 1 ? "kind of request" : "kinds of request"}, such as `,
    ...differences.witnesses.slice(0, 3).flatMap((d, i) => [i ? ", " : "", el("code", {}, d.action), " on ", el("code", {}, d.resource)]),
  );
}

/** What the token a create describes could do, under its creator's cap (a create decision's `preview`). */
function createPreviewView(preview) {
  return el(
    "ul",
    { className: "decision-details change-preview create-preview" },
    previewLine("granted", "The new token could do", preview.granted),
    missingLine(preview.missing, "preview-missing"),
  );
}

/** What a change of a token's permissions grants and revokes (a patch decision's `preview`), with witnesses. */
function previewView(preview) {
  const line = previewLine;
  return el(
    "ul",
    { className: "decision-details change-preview" },
    preview.equivalent
      ? el("li", { className: "preview-none" }, "This change leaves the token's permissions as they are.")
      : [line("granted", "This change grants", preview.granted), line("revoked", "It revokes", preview.revoked)],
    missingLine(preview.missing, "preview-missing"),
  );
}

/** "not supplied: …" for what a comparison could not read (its pairs were left out), or null when it is exact. */
function missingLine(missing, className) {
  if (!missing?.length) return null;
  return el(
    "li",
    { className },
    el("span", { className: "dot indeterminate" }),
    "Not exact, not supplied: ",
    ...missing.flatMap((m, i) => [i ? ", " : "", el("code", {}, m)]),
  );
}

/**
 * A witness list: the first `shown` differences as "action on resource", and how many kinds there are in all.
 * Shared by the guards and the audit view.
 */
export function witnessList(differences, { shown = 3, className = "witnesses" } = {}) {
  const items = differences.witnesses.slice(0, shown).map((d) => el("li", {}, el("code", {}, d.action), " on ", el("code", {}, d.resource)));
  const rest = differences.total - items.length;
  if (rest > 0) items.push(el("li", { className: "more" }, `and ${rest} more ${rest === 1 ? "kind" : "kinds"} of request`));
  return el("ul", { className }, items);
}

const kinds = (n) => `${n} ${n === 1 ? "kind" : "kinds"} of request`;

/** One guard's warning: a title, what it found with its first witnesses, and what it means. */
function warningBox(guard, differences, title, text, hint) {
  return el(
    "div",
    { className: `guard-warning ${guard}`, "data-guard": guard, "data-total": String(differences.total) },
    el("strong", { className: "guard-title" }, title),
    el("p", {}, text),
    witnessList(differences),
    el("p", { className: "hint" }, hint),
  );
}

/**
 * The warnings a create or patch decision carries in its `guards` (checkCreate, checkPatch): a lockout of the
 * calling token, and permissions beyond the token's creator that would be refused at use. Nothing when the
 * guards are absent or empty. `service`: the token is a service token (it "will fail to perform" those actions).
 * `reset`: the guards are a reset's (checkReset), whose escalation is what the new secret hands to the caller.
 */
export function guardWarnings(decision, { service = false, reset = false } = {}) {
  const guards = decision?.guards;
  if (!guards) return [];
  const out = [];
  if (guards.lockout?.total > 0) {
    out.push(
      warningBox("lockout", guards.lockout, "Warning: lockout",
        `This change locks this token out of managing ${kinds(guards.lockout.total)} it manages today, such as:`,
        "This is the token in use: once saved, the page cannot undo the change with it."),
    );
  }
  if (reset && guards.escalation?.total > 0) {
    out.push(
      warningBox("escalation", guards.escalation, "Escalation: the new secret is yours",
        `A reset answers with the token's new secret, and this token may make ${kinds(guards.escalation.total)} the token in use may not, such as:`,
        "Whoever resets it can then act as it. Reset it only if you are meant to hold those rights."),
    );
  } else if (guards.escalation?.total > 0) {
    out.push(
      warningBox("escalation", guards.escalation, "Beyond its creator: refused at use",
        `The token would ask for ${kinds(guards.escalation.total)} its creator may not do, such as:`,
        service
          ? "A service token keeps its creator's limits: it will fail to perform these actions."
          : "The creator's permissions cap the token's: these requests will be refused."),
    );
  }
  if (out.length && guards.missing?.length) {
    out.push(el("ul", { className: "decision-details guard-missing" }, missingLine(guards.missing, "guard-missing-line")));
  }
  return out;
}

/** Short label: Allowed / Denied / Denied by default / Indeterminate. */
export function labelOf(decision) {
  if (!decision) return "Unknown";
  if (decision.indeterminate) return "Indeterminate";
  if (decision.allowed) return "Allowed";
  if (decision.viewRequired) return "Denied: project not viewable";
  return decision.effect === "default-deny" ? "Denied by default" : "Denied";
}

function roleLabel(role) {
  // The kind may arrive camelCase or snake_case; compare without separators.
  const plain = String(role.kind || "").replace(/[_-]/g, "").toLowerCase();
  const kinds = {
    baserole: "base role",
    customrole: "custom role",
    inlinerole: "inline policy",
    membercap: "member cap",
    teamrole: "team role",
    permissiongrant: "permission grant",
    statements: "statements",
  };
  const kind = kinds[plain] || role.kind || "role";
  const name = role.name || role.key;
  return name ? `${kind} “${name}”` : kind;
}
