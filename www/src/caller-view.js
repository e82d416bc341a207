// "Who is calling": the caller identity, its own token, its member, teams and custom roles, and what it may do.

import { el, byId, formatDate } from "./dom.js";
import { app, decide, decideAction } from "./app-state.js";
import { describeError } from "./activity.js";
import { decisionView } from "./decision.js";
import { isService, permissionLabel } from "./tokens-util.js";

/** Renders the caller card from `app.caller`. */
export function renderCaller() {
  const body = byId("caller-body");
  const caller = app.caller;
  if (!caller) {
    body.className = "empty";
    body.replaceChildren("Pick or paste a token to see who it is.");
    return;
  }
  body.className = "caller";
  const { identity, self, member, teams = [], roles, principal, problems } = caller;
  const service = identity.serviceToken ?? isService(self);
  // isAdmin is a getter on the package's Principal; tolerate a method too.
  const admin = principal ? safe(() => (typeof principal.isAdmin === "function" ? principal.isAdmin() : principal.isAdmin)) : undefined;

  const memberName = member ? [member.firstName, member.lastName].filter(Boolean).join(" ") || member.email : identity.memberId;
  const memberCustom = (member?.customRoles || []).map((id) => app.rolesById.get(id)?.name || id);
  // A team's roles come to the member through the team, filled with the team's own role attributes.
  const memberTeams = (member?.teams || []).map((summary) => {
    const team = teams.find((t) => t.key === summary.key);
    const roleNames = summary.customRoleKeys.map((key) => app.rolesById.get(key)?.name || key);
    const attributes = Object.entries(team?.roleAttributes || {}).map(([k, v]) => `${k}: ${v.join(", ")}`);
    return el(
      "li",
      { className: "member-team" },
      el("strong", {}, summary.name || summary.key),
      " ",
      el("code", {}, summary.key),
      el("span", { className: "hint" }, ` — ${roleNames.length ? roleNames.join(", ") : "no roles"}${attributes.length ? `; ${attributes.join("; ")}` : ""}`),
    );
  });

  const facts = [
    ["Token", el("span", {}, el("strong", { id: "caller-token-name" }, identity.tokenName || self?.name || "(unnamed)"), " ", kindBadge(service))],
    ["Token id", el("code", {}, identity.tokenId || "—")],
    ["Permissions", self ? permissionLabel(self, app.rolesById).text : "—"],
    ["Admin", admin === undefined ? "—" : admin ? el("span", { className: "badge allowed" }, "yes") : el("span", { className: "badge neutral" }, "no")],
    ["Member", member ? `${memberName} <${member.email}>` : identity.memberId || "—"],
    ["Member role", el("span", { id: "caller-member-role" }, memberRoleText(member, principal))],
    ["Member custom roles", memberCustom.length ? memberCustom.join(", ") : "none"],
    ["Member teams", memberTeams.length ? el("ul", { className: "role-list", id: "caller-member-teams" }, memberTeams) : "none"],
    ["Account", identity.accountId || "—"],
    ["Created", formatDate(self?.creationDate)],
  ];

  const grid = el(
    "dl",
    { className: "facts" },
    facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
  );

  const roleList = roles.length
    ? el(
        "ul",
        { className: "role-list" },
        roles.map((r) =>
          el(
            "li",
            {},
            el("strong", {}, r.name || r.key),
            " ",
            el("code", {}, r.key),
            el("span", { className: "hint" }, ` — ${(r.policy || []).length} statement${(r.policy || []).length === 1 ? "" : "s"}`),
          ),
        ),
      )
    : el("p", { className: "hint" }, "No custom roles visible to this token.");

  const children = [grid, el("h3", {}, "Custom roles in the account"), roleList];

  if (self) {
    const selfChecks = el(
      "div",
      { className: "self-checks" },
      el("h3", {}, "May this token manage tokens?"),
      el(
        "div",
        { className: "chips" },
        [
          ["create personal", decide((p) => p.checkCreate({ role: "reader" }), "create")],
          ["create service", decide((p) => p.checkCreate({ role: "reader", serviceToken: true }), "create")],
          ["reset itself", decideAction(self, "resetAccessToken")],
          ["delete itself", decideAction(self, "deleteAccessToken")],
        ].map(([label, d]) => el("div", { className: "chip-row" }, el("span", { className: "chip-label" }, label), decisionView(d, { compact: true }))),
      ),
    );
    children.push(selfChecks);
  }

  if (problems.length) {
    children.push(
      el(
        "ul",
        { className: "problems" },
        problems.map((p) => el("li", {}, `Could not read ${p.what}: ${describeError(p.error)}`)),
      ),
    );
  }
  body.replaceChildren(...children);
}

/**
 * The member's base role, and whether it is in effect: roles assigned to the member directly replace it (the
 * engine says which, through the principal), so "writer" alone would promise rights the member does not have.
 */
function memberRoleText(member, principal) {
  if (!member?.role) return "—";
  const inEffect = principal ? safe(() => principal.creatorRoleInEffect) : undefined;
  return inEffect === false && (member.customRoles || []).length ? `${member.role} (replaced by custom roles)` : member.role;
}

function kindBadge(service) {
  return el("span", { className: `badge ${service ? "service" : "personal"}` }, service ? "service token" : "personal token");
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
