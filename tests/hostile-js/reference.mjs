// The naive reading of the spec's §3 and §4 that the differential test judges the engine by
// (tests/differential/reference.rs), in JavaScript, so that the Node hostile sweep can hold each `allowed` answer it
// gets to it.
//
// Why a port rather than answers computed natively: the sweep's questions are built in JavaScript, some from values
// that no file can carry (cyclic objects, proxies, 8 MB strings), and each worker judges its answers as they come, so
// a native step would need a build and a hand-off between two runners for every change of the cases. The functions
// here are few and follow the Rust reference line by line (both read the spec's words, neither the engine's code);
// `reference.test.mjs` checks them on the spec's own examples, as `spec_examples.rs` checks the Rust one.
//
// Three-valued throughout: `true`, `false`, or `null` for "unknown" (a fact the resource leaves out). What this
// reading does not model (teams, a role's `basePermissions`, a service token's snapshot) throws `Unjudged`: an
// allowed answer that cannot be judged fails the sweep too, so a new case forces the reference to grow.

export class Unjudged extends Error {}

// ---- three-valued logic, written out ----

export const and3 = (a, b) => (a === false || b === false ? false : a === true && b === true ? true : null);
export const or3 = (a, b) => (a === true || b === true ? true : a === false && b === false ? false : null);
export const not3 = (a) => (a === null ? null : !a);

/// "`*` is a glob matching any run of characters", over code points. One row of the usual table at a time
/// rather than the Rust reference's recursion: the same relation, without its exponential worst case on the
/// sweep's glob-heavy inputs.
export function glob(pattern, text) {
  const p = Array.from(pattern);
  const t = Array.from(text);
  // row[j]: whether p[..i] matches t[..j].
  let row = new Array(t.length + 1).fill(false);
  row[0] = true;
  for (const c of p) {
    const next = new Array(t.length + 1).fill(false);
    if (c === "*") {
      next[0] = row[0];
      for (let j = 1; j <= t.length; j++) next[j] = row[j] || next[j - 1];
    } else {
      for (let j = 1; j <= t.length; j++) next[j] = row[j - 1] && t[j - 1] === c;
    }
    row = next;
  }
  return row[t.length];
}

/// `${roleAttribute/key}` "expands to each value the member has for that key": every way of replacing each
/// reference by one of its key's values. A key the member lacks gives nothing.
export function expand(name, attrs) {
  const OPEN = "${roleAttribute/";
  const start = name.indexOf(OPEN);
  if (start < 0) return [name];
  const after = name.slice(start + OPEN.length);
  const close = after.indexOf("}");
  if (close < 0) throw new Unjudged(`an unclosed role attribute reference in ${JSON.stringify(name)}`);
  const key = after.slice(0, close);
  const tail = after.slice(close + 1);
  const values = Object.hasOwn(attrs ?? {}, key) ? attrs[key] : [];
  if (!Array.isArray(values)) throw new Unjudged(`role attribute ${key} is not a list`);
  const out = [];
  for (const value of values) for (const rest of expand(tail, attrs)) out.push(name.slice(0, start) + value + rest);
  return out;
}

/// `type/name;modifiers`, "child resources chained with `:`". A `:` inside `{...}` or right after `view` is not a
/// chain: those are masked first, then the text is split as plain strings.
function split(spec) {
  let masked = "";
  let inBraces = false;
  for (const ch of spec) {
    if (ch === "{") inBraces = true;
    if (ch === "}") inBraces = false;
    masked += ch === ":" && inBraces ? "=" : ch;
  }
  masked = masked.replaceAll(";view:", ";view=").replaceAll(",view:", ",view=");
  return masked.split(":").map((segment) => {
    const semi = segment.indexOf(";");
    const head = semi < 0 ? segment : segment.slice(0, semi);
    const modifiers = semi < 0 ? [] : segment.slice(semi + 1).split(",");
    const slash = head.indexOf("/");
    const out = {
      type: slash < 0 ? head : head.slice(0, slash),
      name: slash < 0 ? null : head.slice(slash + 1),
      tags: [],
      properties: [],
      views: [],
    };
    for (const modifier of modifiers) {
      if (modifier.startsWith("{") && modifier.endsWith("}")) {
        const inner = modifier.slice(1, -1);
        const eq = inner.indexOf("=");
        if (eq < 0) throw new Unjudged(`a selector without a value: ${modifier}`);
        out.properties.push([inner.slice(0, eq), inner.slice(eq + 1)]);
      } else if (modifier.startsWith("view=")) {
        out.views.push(modifier.slice("view=".length));
      } else {
        out.tags.push(modifier);
      }
    }
    return out;
  });
}

/// "A pattern matches a resource only at the same depth with the same types"; names are globs; "several tags in one
/// specifier are AND"; tags, selectors and views are all ANDed. A selector on a property the resource does not state,
/// or a view selector on a segment that states no views, is unknown.
export function specifierMatches(pattern, resource, attrs) {
  if (pattern === "*") return true;
  const ps = split(pattern);
  const rs = split(resource);
  if (ps.length !== rs.length) return false;
  let answer = true;
  for (let i = 0; i < ps.length; i++) {
    const [p, r] = [ps[i], rs[i]];
    const plain =
      p.type === r.type &&
      (p.name === null && r.name === null
        ? true
        : p.name !== null && r.name !== null
          ? expand(p.name, attrs).some((n) => glob(n, r.name))
          : false) &&
      p.tags.every((want) => r.tags.some((have) => glob(want, have)));
    answer = and3(answer, plain);
    for (const [key, want] of p.properties) {
      const have = r.properties.find(([k]) => k === key);
      answer = and3(answer, have === undefined ? null : glob(want, have[1]));
    }
    for (const want of p.views) {
      const linked =
        r.views.length === 0 ? null : expand(want, attrs).some((w) => r.views.some((have) => glob(w, have)));
      answer = and3(answer, linked);
    }
  }
  return answer;
}

/// A list of the statement's, with "an empty list is the same as an absent one" (spec §2).
function listOf(statement, key) {
  const list = statement[key];
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list) || list.some((entry) => typeof entry !== "string")) {
    throw new Unjudged(`${key} is not a list of strings`);
  }
  return list.length ? list : null;
}

/// "`notActions` matches every action that none of its entries matches" (likewise resources); exactly one of each
/// pair.
function listMatches(statement, key, notKey, matches) {
  const [list, notList] = [listOf(statement, key), listOf(statement, notKey)];
  if ((list === null) === (notList === null)) throw new Unjudged(`not exactly one of ${key} and ${notKey}`);
  const any = (list ?? notList).reduce((acc, entry) => or3(acc, matches(entry)), false);
  return list ? any : not3(any);
}

export function statementMatches(statement, action, resource, attrs) {
  return and3(
    listMatches(statement, "actions", "notActions", (a) => glob(a, action)),
    listMatches(statement, "resources", "notResources", (r) => specifierMatches(r, resource, attrs)),
  );
}

/// "Within one policy: a matching `deny` beats any matching `allow`; otherwise a matching `allow` allows".
export function allows(statements, action, resource, attrs) {
  if (!Array.isArray(statements)) throw new Unjudged("a policy that is not a list");
  const of = (effect) =>
    statements
      .filter((s) => {
        if (s === null || typeof s !== "object" || !["allow", "deny"].includes(s.effect)) {
          throw new Unjudged(`a statement without a valid effect: ${JSON.stringify(s)}`);
        }
        return s.effect === effect;
      })
      .reduce((acc, s) => or3(acc, statementMatches(s, action, resource, attrs)), false);
  return and3(of("allow"), not3(of("deny")));
}

export const viewRuleApplies = (action, resource) => !action.startsWith("view") && split(resource)[0].type === "proj";

/// The first segment of a resource as written, modifiers included.
function firstSegment(resource) {
  const segment = split(resource)[0];
  let text = segment.type + (segment.name === null ? "" : `/${segment.name}`);
  const modifiers = [
    ...segment.tags,
    ...segment.properties.map(([k, v]) => `{${k}:${v}}`),
    ...segment.views.map((v) => `view:${v}`),
  ];
  if (modifiers.length) text += `;${modifiers.join(",")}`;
  return text;
}

/// Several roles ([statements, attrs] pairs) held at once: "permissions are cumulative"; then the view rule: a
/// non-view action under `proj/<key>` also needs `viewProject` on `proj/<key>` from the same roles together.
export function setAllows(roles, action, resource) {
  const any = (a, r) => roles.reduce((acc, [statements, attrs]) => or3(acc, allows(statements, a, r, attrs)), false);
  const answer = any(action, resource);
  if (!viewRuleApplies(action, resource) || answer === false) return answer;
  return and3(answer, any("viewProject", firstSegment(resource)));
}

// ---- base roles and who holds what (§3, §4) ----

const WRITER = [
  "proj/*", "proj/*:env/*", "proj/*:metric/*", "proj/*:env/*:flag/*", "proj/*:env/*:segment/*",
  "proj/*:env/*:destination/*", "proj/*:env/*:user/*", "proj/*:context-kind/*", "proj/*:metric-group/*",
  "proj/*:layer/*", "proj/*:release-pipeline/*", "proj/*:view/*", "proj/*:aiconfig/*", "proj/*:env/*:experiment/*",
  "proj/*:env/*:holdout/*", "proj/*:env/*:aiconfig/*", "proj/*:env/*:product-analytics-dashboard/*",
];
const PERSONAL_TOKEN = [
  "createAccessToken", "updateAccessTokenPolicy", "updateAccessTokenName", "updateAccessTokenDescription",
  "deleteAccessToken", "resetAccessToken",
];
const BASE_ROLES = ["admin", "owner", "writer", "reader", "no_access"];

/// §4's table of base roles as statements: the token's column (`member` null) or the member's (own tokens too).
export function baseRoleRow(role, member = null) {
  if (!BASE_ROLES.includes(role)) throw new Unjudged(`an unknown base role ${JSON.stringify(role)}`);
  const own = member === null ? [] : [{ effect: "allow", resources: [`member/${member}:token/*`], actions: PERSONAL_TOKEN }];
  switch (role) {
    case "admin":
    case "owner":
      return [{ effect: "allow", resources: ["*"], actions: ["*"] }];
    case "writer":
      return [{ effect: "allow", resources: WRITER, actions: ["*"] }, ...own];
    case "reader":
      return [{ effect: "allow", resources: ["proj/*"], actions: ["viewProject"] }, ...own];
    default:
      return [];
  }
}

/// A custom role's statements, found by id or key among `roles`; unknown when it was not supplied.
function rolePolicy(roles, idOrKey) {
  const role = (roles ?? []).find((r) => r && (r._id === idOrKey || r.key === idOrKey));
  if (!role) return null;
  if (role.basePermissions !== undefined && role.basePermissions !== "no_access") {
    throw new Unjudged(`role ${idOrKey} has basePermissions ${role.basePermissions}`);
  }
  return role.policy;
}

/// What a member holds (§4 "Which roles a member holds"): its directly assigned roles replace its base role, else its
/// base role's row; a grant with `actions` is an allow statement of its own. `null` when a role was not supplied.
export function heldRoles(member, roles) {
  if (member?.teams?.length) throw new Unjudged("a member with teams");
  const attrs = member.roleAttributes ?? {};
  const direct = member.customRoles ?? [];
  let held;
  if (direct.length === 0) {
    held = [[baseRoleRow(member.role, member._id), {}]];
  } else {
    held = [];
    for (const id of direct) {
      const policy = rolePolicy(roles, id);
      if (policy === null) return null;
      held.push([policy, attrs]);
    }
  }
  const grants = (member.permissionGrants ?? []).map((grant) => {
    if (grant.actionSet !== undefined || !grant.actions?.length) throw new Unjudged("a grant by action set");
    return { effect: "allow", resources: [grant.resource], actions: grant.actions };
  });
  if (grants.length) held.push([grants, attrs]);
  return held;
}

/// The roles of a token's own side: its `role` (the token's column), else its inline policy, else its custom roles,
/// each filled with its member's attributes. `null` when a role was not supplied.
export function tokenRoles(token, member, roles) {
  const attrs = member?.roleAttributes ?? {};
  if (token.role !== undefined && token.role !== null) return [[baseRoleRow(token.role), {}]];
  if (token.inlineRole?.length) return [[token.inlineRole, attrs]];
  if (token.customRoleIds?.length) {
    const held = [];
    for (const id of token.customRoleIds) {
      const policy = rolePolicy(roles, id);
      if (policy === null) return null;
      held.push([policy, attrs]);
    }
    return held;
  }
  throw new Unjudged("a token with no role, inline role or custom roles");
}

/// "A token may do something only if its own roles allow it and its cap allows it": the AND of the two sides, each
/// under the view rule. `options` is what `Principal.fromToken` was given (`member`, `roles`).
export function tokenAllows(token, options, action, resource) {
  if (token.serviceToken) throw new Unjudged("a service token (its cap is a snapshot the reference does not have)");
  const member = options?.member;
  if (!member) return null; // the creator unknown: the cap is unknown
  const own = tokenRoles(token, member, options.roles);
  const cap = heldRoles(member, options.roles);
  return and3(own === null ? null : setAllows(own, action, resource), cap === null ? null : setAllows(cap, action, resource));
}

/// The resource a token is (§3's Decision): `member/<memberId>:token/<id>`, or `service-token/<id>`.
export const tokenResource = (token) =>
  token.serviceToken ? `service-token/${token._id}` : `member/${token.memberId}:token/${token._id}`;
