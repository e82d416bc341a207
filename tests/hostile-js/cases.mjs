// The hostile cases, shared by the test (which lists and judges them) and the worker (which runs them).
// Every case is deterministic and built on demand, so a fresh worker can resume from any index.

function nested(depth, leaf = 1) {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

function cyclic() {
  const a = { effect: "allow", resources: ["*"], actions: ["*"] };
  a.self = a;
  const list = [a];
  list.push(list);
  return list;
}

const throwingGetter = () =>
  Object.defineProperty({}, "effect", {
    enumerable: true,
    get() {
      throw new Error("getter says no");
    },
  });

const hostileProxy = () =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error("proxy trap");
      },
      ownKeys: () => {
        throw new Error("proxy keys");
      },
    },
  );

/// Values of every wrong kind; each is tried in every argument position (built lazily: some are large).
export const HOSTILE = {
  undefined: () => undefined,
  null: () => null,
  zero: () => 0,
  nan: () => NaN,
  negative: () => -1,
  bigNumber: () => 1e308,
  bigint: () => 10n,
  true: () => true,
  emptyString: () => "",
  string: () => "proj/*",
  hugeString: () => "p".repeat(8 * 1024 * 1024),
  loneSurrogate: () => "proj/\ud800",
  nul: () => "proj/a\u0000b",
  symbol: () => Symbol("s"),
  function: () => () => 1,
  emptyArray: () => [],
  arrayOfNumbers: () => [1, 2, 3],
  arrayOfNulls: () => [null, null],
  emptyObject: () => ({}),
  objectForArray: () => ({ 0: "a", length: 1 }),
  date: () => new Date(0),
  map: () => new Map([["a", 1]]),
  nested10k: () => nested(10_000),
  nestedInsideStatement: () => [
    { effect: "allow", resources: ["*"], actions: ["*"], extra: nested(10_000) },
  ],
  cyclic,
  throwingGetter,
  proxy: hostileProxy,
  // What JSON.stringify does on the way in: a throwing or BigInt-returning toJSON, a BigInt or NaN deep inside.
  throwingToJSON: () => ({ toJSON() { throw new Error("toJSON says no"); } }),
  bigintToJSON: () => ({ toJSON: () => 10n }),
  bigintInsideStatement: () => [{ effect: "allow", resources: ["*"], actions: ["*"], extra: 10n }],
  nanInsideStatement: () => [{ effect: "allow", resources: ["*"], actions: ["*"], extra: NaN }],
  wrongTypesToken: () => ({ _id: 5, ownerId: [], memberId: {}, creationDate: "x", lastModified: null }),
  wrongStatements: () => [{ effect: "maybe", resources: "proj/*", actions: [1] }],
};

export const TOKEN = {
  _id: "5f3a9c0d1e2b4a6c8d0e1f2a",
  ownerId: "m1",
  memberId: "m1",
  creationDate: 1700000000000,
  lastModified: 1700000000000,
  role: "admin",
  _links: {},
};
export const MEMBER = { _id: "m1", email: "a@example.com", role: "admin" };
export const POLICY = [{ effect: "allow", resources: ["proj/*"], actions: ["*"] }];

/// Every callable of the package, as [name, arity, call(tg, args)].
export const SURFACE = [
  ["evaluate", 4, (tg, a) => tg.evaluate(...a)],
  ["comparePolicies", 3, (tg, a) => tg.comparePolicies(...a)],
  ["auditTokens", 2, (tg, a) => tg.auditTokens(...a)],
  ["validatePolicy", 1, (tg, a) => tg.validatePolicy(...a)],
  ["parseResource", 2, (tg, a) => tg.parseResource(...a)],
  ["new TokensClient", 1, (tg, a) => new tg.TokensClient(...a)],
  ["Policy.compile", 2, (tg, a) => tg.Policy.compile(...a)],
  ["policy.can", 2, (tg, a) => compiled(tg).can(...a)],
  ["policy.evaluate", 2, (tg, a) => compiled(tg).evaluate(...a)],
  ["Principal.fromToken", 2, (tg, a) => tg.Principal.fromToken(...a)],
  ["principal.can", 2, (tg, a) => principal(tg).can(...a)],
  ["principal.explain", 2, (tg, a) => principal(tg).explain(...a)],
  ["principal.canSee", 1, (tg, a) => principal(tg).canSee(...a)],
  ["principal.see", 1, (tg, a) => principal(tg).see(...a)],
  ["principal.permittedActions", 1, (tg, a) => principal(tg).permittedActions(...a)],
  ["principal.checkAction", 2, (tg, a) => principal(tg).checkAction(...a)],
  ["principal.checkPatch", 2, (tg, a) => principal(tg).checkPatch(...a)],
  ["principal.checkCreate", 1, (tg, a) => principal(tg).checkCreate(...a)],
  ["principal.checkReset", 2, (tg, a) => principal(tg).checkReset(...a)],
  ["principal.visible", 2, (tg, a) => principal(tg).visible(...a)],
  ["principal.compare", 2, (tg, a) => principal(tg).compare(...a)],
  ["principal.lockout", 2, (tg, a) => principal(tg).lockout(...a)],
  ["client.list", 1, (tg, a) => client(tg).list(...a)],
  ["client.listAll", 1, (tg, a) => drain(client(tg).listAll(...a))],
  ["client.get", 2, (tg, a) => client(tg).get(...a)],
  ["client.create", 2, (tg, a) => client(tg).create(...a)],
  ["client.update", 3, (tg, a) => client(tg).update(...a)],
  ["client.delete", 2, (tg, a) => client(tg).delete(...a)],
  ["client.reset", 2, (tg, a) => client(tg).reset(...a)],
  ["client.callerIdentity", 1, (tg, a) => client(tg).callerIdentity(...a)],
  ["client.listRoles", 1, (tg, a) => client(tg).listRoles(...a)],
  ["client.getRole", 2, (tg, a) => client(tg).getRole(...a)],
  ["client.getMember", 2, (tg, a) => client(tg).getMember(...a)],
  ["client.getTeam", 2, (tg, a) => client(tg).getTeam(...a)],
  ["client.principal", 1, (tg, a) => client(tg).principal(...a)],
];

/// A plausible value for each position, so that one hostile argument at a time is what is wrong.
const PLAUSIBLE = {
  evaluate: [POLICY, "viewProject", "proj/x", {}],
  comparePolicies: [POLICY, POLICY, {}],
  auditTokens: [[TOKEN], { members: [MEMBER], now: 0 }],
  validatePolicy: [POLICY],
  parseResource: ["proj/x", { concrete: true }],
  "new TokensClient": [{ token: "api-x" }],
  "Policy.compile": [POLICY, {}],
  "policy.can": ["viewProject", "proj/x"],
  "policy.evaluate": ["viewProject", "proj/x"],
  "Principal.fromToken": [TOKEN, { member: MEMBER }],
  "principal.can": ["viewProject", "proj/x"],
  "principal.explain": ["viewProject", "proj/x"],
  "principal.canSee": [TOKEN],
  "principal.see": [TOKEN],
  "principal.permittedActions": [TOKEN],
  "principal.checkAction": [TOKEN, "delete"],
  "principal.checkPatch": [TOKEN, [{ op: "replace", path: "/name", value: "x" }]],
  "principal.checkCreate": [{ role: "reader" }],
  "principal.checkReset": [TOKEN, { member: MEMBER }],
  "principal.visible": [[TOKEN], false],
  "principal.compare": [{ member: { ...MEMBER, role: "writer" } }, { limit: 2 }],
  "principal.lockout": [{ member: null }, { limit: 2 }],
  "client.get": [TOKEN._id, {}],
  "client.update": [TOKEN._id, [{ op: "replace", path: "/name", value: "x" }], {}],
};

function principal(tg) {
  return tg.Principal.fromToken(TOKEN, { member: MEMBER });
}

function compiled(tg) {
  return tg.Policy.compile(POLICY);
}

function client(tg) {
  // Nobody listens on port 9: calls that get as far as the network fail fast with network_error.
  return new tg.TokensClient({ token: "api-hostile", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
}

async function drain(result) {
  if (result && typeof result[Symbol.asyncIterator] === "function") {
    for await (const _ of result);
    return undefined;
  }
  return result;
}

/// `n` statements on `n` projects' environments, and one that lets the holder view every project (acting on
/// anything in a project needs viewing it).
const many = (n) => [
  { effect: "allow", resources: ["proj/*"], actions: ["viewProject"] },
  ...Array.from({ length: n }, (_, i) => ({
    effect: i % 7 ? "allow" : "deny",
    resources: [`proj/p${i}:env/*`],
    actions: [`update${i}`],
  })),
];

/// Cases beyond one-argument-at-a-time: sizes and shapes built to be slow.
const BIG = [
  ["evaluate with 100,000 statements", (tg) => {
    const d = tg.evaluate(many(100_000), "update99999", "proj/p99999:env/x");
    if (d.allowed !== true) throw new Error("wrong answer for statement 99999");
  }],
  ["validatePolicy with 100,000 statements", (tg) => tg.validatePolicy(many(100_000))],
  ["checkCreate with a 100,000-statement inline role", (tg) => principal(tg).checkCreate({ inlineRole: many(100_000) })],
  ["fromToken with a 100,000-statement inline role", (tg) =>
    tg.Principal.fromToken({ ...TOKEN, role: undefined, inlineRole: many(100_000) }).explain("update5", "proj/p5:env/x")],
  ["evaluate with a 10,000-star name against a 20,000-character resource", (tg) =>
    tg.evaluate([{ effect: "allow", resources: [`proj/${"*a".repeat(5000)}b`], actions: ["*"] }], "x", `proj/${"a".repeat(20000)}`)],
  ["evaluate with shared objects that unfold to 2^100 values", (tg) => {
    let shared = "proj/*";
    for (let i = 0; i < 100; i++) shared = [shared, shared];
    return tg.evaluate([{ effect: "allow", resources: ["*"], actions: ["*"], extra: shared }], "x", "proj/a");
  }],
  ["parseResource of 100,000 colons", (tg) => tg.parseResource(`proj/a${":".repeat(100_000)}`)],
  ["parseResource of 50,000 segments", (tg) => tg.parseResource(Array.from({ length: 50_000 }, (_, i) => `t${i}/n`).join(":"))],
  ["evaluate with 100,000 role attribute values", (tg) =>
    tg.evaluate([{ effect: "allow", resources: ["proj/${roleAttribute/a}${roleAttribute/b}"], actions: ["*"] }], "x", "proj/ab", {
      roleAttributes: { a: Array.from({ length: 1000 }, (_, i) => `a${i}`), b: Array.from({ length: 100 }, (_, i) => `b${i}`) },
    })],
  // Property and view selectors: malformed ones are typed errors, and their number is bounded.
  ...["env/x;{critical}", "env/x;{:x}", "flag/x;view:", "env/x;{critical:true", "env/x;qa}", "env/x;{a:{b}}"].map((spec) => [
    `parseResource of the malformed selector ${spec}`,
    (tg) => tg.parseResource(spec),
  ]),
  ["evaluate against a resource with 200,000 modifiers", (tg) =>
    tg.evaluate(POLICY, "viewProject", `proj/a;${Array(200_000).fill("{critical:true}").join(",")}`)],
  ["evaluate 256 selectors per segment against a resource that states none", (tg) =>
    tg.evaluate(
      [{ effect: "allow", resources: [`proj/*;${Array.from({ length: 256 }, (_, i) => `{p${i}:v},view:v${i}`).slice(0, 128).join(",")}`], actions: ["*"] }],
      "viewProject",
      "proj/a",
    )],
];

BIG.push(
  ["comparePolicies of 2,000 statements against 2,000 others", (tg) => tg.comparePolicies(many(2_000), many(1_999))],
  ["principal.compare with a 2,000-statement inline role", (tg) =>
    principal(tg).compare({ token: { ...TOKEN, role: undefined, inlineRole: many(2_000) } })],
  ["auditTokens of 1,000 tokens", (tg) =>
    tg.auditTokens(Array.from({ length: 1_000 }, (_, i) => ({ ...TOKEN, _id: `t${i}` })), { members: [MEMBER] })],
  ["comparePolicies with 40 tag globs on one segment (past the work budget)", (tg) =>
    tg.comparePolicies(POLICY, [{ effect: "allow", resources: [`proj/*;${Array.from({ length: 40 }, (_, i) => `t${i}*`).join(",")}`], actions: ["*"] }])],
  ["comparePolicies asking for a million witnesses", (tg) => tg.comparePolicies(POLICY, many(10), { limit: 1_000_000 })],
);

/// Four statements whose project names hold 63 or 64 stars (805 bytes): `evaluate` answers at once, but every
/// analysis walks the names' automata, which is what the comparison's work budget must stop.
const STARS = ["*a", "*b", "*a", "*ab"].map((piece, i) => ({
  effect: i % 2 ? "deny" : "allow",
  resources: [`proj/${piece.repeat(i === 2 ? 63 : 64)}*`],
  actions: ["*"],
}));

/// Runs `fn` and requires the comparison's work bound to have stopped it: a `comparison_too_large` thrown, or
/// `check` of what it returned (an answer that leaves out what was refused). Anything else is an untyped failure.
function refusedByBound(tg, fn, check) {
  let result;
  try {
    result = fn();
  } catch (error) {
    if (error instanceof tg.PolicyError && error.code === "comparison_too_large") return undefined;
    throw error;
  }
  if (!check || !check(result)) throw new Error(`not refused by the work bound: ${JSON.stringify(result).slice(0, 200)}`);
  return result;
}

const starsToken = () => ({ ...TOKEN, role: undefined, inlineRole: STARS });

BIG.push(
  ["evaluate with the stars policy", (tg) => {
    if (!tg.evaluate(STARS, "x", `proj/${"a".repeat(200)}`).allowed) throw new Error("wrong answer");
  }],
  ["validatePolicy of the stars policy warns about each glob", (tg) => {
    const costly = tg.validatePolicy(STARS).filter((d) => d.code === "costly_glob");
    if (costly.length !== 4 || !costly.every((d) => d.span)) throw new Error(`costly_glob: ${JSON.stringify(costly)}`);
  }],
  ["comparePolicies of the stars policy (refused at the work bound)", (tg) =>
    refusedByBound(tg, () => tg.comparePolicies(STARS, []))],
  ["principal.compare with the stars policy (refused at the work bound)", (tg) =>
    refusedByBound(tg, () => principal(tg).compare({ token: starsToken() }))],
  ["principal.lockout with the stars policy (refused at the work bound)", (tg) =>
    refusedByBound(tg, () => principal(tg).lockout({ token: starsToken() }))],
  ["principal.checkPatch giving itself the stars policy (preview and guards refused at the work bound)", (tg) =>
    refusedByBound(
      tg,
      () => principal(tg).checkPatch(TOKEN, [{ op: "remove", path: "/role" }, { op: "add", path: "/inlineRole", value: STARS }]),
      (d) => d.preview === undefined && d.guards === undefined,
    )],
  ["principal.checkReset of a token holding the stars policy (guards refused at the work bound)", (tg) =>
    refusedByBound(tg, () => principal(tg).checkReset(starsToken()), (d) => d.guards === undefined)],
  ["principal.checkCreate with the stars policy (preview and guards refused at the work bound)", (tg) =>
    refusedByBound(tg, () => principal(tg).checkCreate({ inlineRole: STARS }), (d) => d.preview === undefined && d.guards === undefined)],
  ["auditTokens of 1,000 stars tokens (one comparison, refused at the work bound)", (tg) =>
    refusedByBound(
      tg,
      () => tg.auditTokens(Array.from({ length: 1_000 }, (_, i) => ({ ...starsToken(), _id: `t${i}` })), { members: [MEMBER] }),
      (audits) => audits.length === 1_000 && audits.every((a) => a.uncheckedCode === "comparison_too_large"),
    )],
  ["auditTokens of 20 distinct stars tokens (the audit's bound names the rest)", (tg) =>
    refusedByBound(
      tg,
      () => tg.auditTokens(
        Array.from({ length: 20 }, (_, i) => ({ ...TOKEN, _id: `t${i}`, role: undefined, inlineRole: [...STARS, { effect: "allow", resources: [`proj/p${i}`], actions: ["viewProject"] }] })),
        { members: [MEMBER] },
      ),
      (audits) => audits.slice(8).every((a) => a.uncheckedCode === "audit_too_large"),
    )],
);

// Questions that are not one question (a wildcard or a control character in the action or the resource): refused
// with a typed error, never answered; and the same asked again, once answers are remembered.
const QUESTIONS = [
  ["deleteFlag", "proj/mobile:env/*:flag/checkout"],
  ["*", "proj/mobile:env/production:flag/checkout"],
  ["delete*", "proj/mobile:env/production:flag/checkout"],
  ["view\0Project", "proj/mobile"],
  ["viewProject\n", "proj/mobile"],
  ["viewProject", "proj/mobile\0"],
  ["viewProject", "proj/mob\nile"],
  ["viewProject\0proj/s", "proj/x"],
  ["viewProject", "proj/s\0proj/x"],
];
for (const [action, resource] of QUESTIONS) {
  const asked = `${JSON.stringify(action)} on ${JSON.stringify(resource)}`;
  BIG.push(
    [`principal.can of ${asked}`, (tg) => refusedTwice(tg, (p) => p.can(action, resource))],
    [`principal.explain of ${asked}`, (tg) => refusedTwice(tg, (p) => p.explain(action, resource))],
    [`evaluate of ${asked}`, (tg) => refusedTwice(tg, () => tg.evaluate(POLICY, action, resource))],
  );
}
BIG.push(["principal.checkAction of a wildcard action", (tg) => principal(tg).checkAction(TOKEN, "delete*")]);

/// Asks `ask` twice of one principal, after an answer was remembered; throws the refusal, or fails if answered.
function refusedTwice(tg, ask) {
  const p = principal(tg);
  p.can("viewProject", "proj/x");
  tg.evaluate(POLICY, "viewProject", "proj/x");
  for (let i = 0; i < 2; i++) {
    let answered;
    try {
      answered = ask(p);
    } catch (error) {
      if (i === 1) throw error;
      continue;
    }
    throw new Error(`answered ${JSON.stringify(answered)} rather than refused`);
  }
}

// Every member of a freed object: a TypeError with code "freed", never the glue's untyped "null pointer" error.
for (const [prefix, make] of [["principal", principal], ["policy", compiled], ["client", client]]) {
  for (const [name] of SURFACE.filter(([n]) => n.startsWith(`${prefix}.`))) {
    const member = name.slice(prefix.length + 1);
    BIG.push([`${name} of a freed object`, (tg) => {
      const object = make(tg);
      object.free();
      return member === "listAll" ? drain(object[member]()) : object[member]();
    }]);
  }
}
BIG.push(
  ["principal.isAdmin of a freed object", (tg) => {
    const p = principal(tg);
    p.free();
    return p.isAdmin;
  }],
  ["principal.free twice", (tg) => {
    const p = principal(tg);
    p.free();
    p.free();
    if (p.can !== undefined) p.can("viewProject", "proj/x");
  }],
);

// Questions of hostile shape, many of them answered `allowed`: each answer the worker holds to the reference
// (judge.mjs), so these are where a fail-open would show. The same shapes as the Rust sweep
// (`allowed_answers_to_hostile_shapes_hold_in_the_reference` in tests/hostile.rs).
const MANY_VALUES = {
  k: [...Array.from({ length: 64 }, (_, i) => `a${i}`), "a", "web"],
  v: ["web", "w*", ""],
};
const SHAPES = [
  ["300 statements, every seventh a deny", many(300), {}],
  ["glob-heavy names, tags and actions", [
    { effect: "allow", resources: ["proj/*a*b*a*", "proj/*a*b*a*:env/*;*t*,u*"], actions: ["*e*e*", "view*"] },
    { effect: "allow", resources: ["proj/**", "proj/*:env/**:flag/*;**"], actions: ["**"] },
    { effect: "deny", resources: ["proj/*b*:env/*;t"], actions: ["delete*"] },
  ], {}],
  ["allow everything but, deny all but", [
    { effect: "allow", notResources: ["proj/a*", "member/*:token/*"], actions: ["*"] },
    { effect: "allow", resources: ["*"], notActions: ["delete*", "update*"] },
    { effect: "deny", notResources: ["proj/*", "proj/*:env/*", "proj/*:env/*:flag/*"], notActions: ["view*"] },
  ], {}],
  ["role attributes with many values", [
    { effect: "allow", resources: ["proj/${roleAttribute/k}", "proj/${roleAttribute/k}-*:env/*"], actions: ["*"] },
    { effect: "allow", resources: ["proj/*:env/*:flag/*;view:${roleAttribute/v}"], actions: ["*"] },
    { effect: "deny", resources: ["proj/${roleAttribute/missing}*"], actions: ["*"] },
    { effect: "deny", resources: ["proj/a1*:env/*"], actions: ["delete*"] },
  ], MANY_VALUES],
  ["property and view selectors", [
    { effect: "allow", resources: ["proj/*;{critical:false}", "proj/*:env/*;{critical:false}:flag/*"], actions: ["*"] },
    { effect: "allow", resources: ["proj/*;view:web", "proj/*:env/*:flag/*;view:w*"], actions: ["*"] },
    { effect: "deny", resources: ["proj/*:env/*;{critical:true}:flag/*"], actions: ["update*", "delete*"] },
  ], {}],
  ["names outside ASCII, odd characters", [
    { effect: "allow", resources: ["proj/é*", "proj/*-*_*.*", "proj/\u{1F600}*:env/*"], actions: ["*"] },
    { effect: "deny", resources: ["proj/éb"], actions: ["viewProject"] },
  ], {}],
];
const SHAPE_ACTIONS = [
  "viewProject", "viewFlag", "updateOn", "update7", "update8", "update299", "deleteFlag", "createAccessToken",
  "deleteAccessToken", "updateAccessTokenPolicy", "executeE", "view", "e", "ee",
];
const SHAPE_RESOURCES = [
  "proj/a", "proj/ab", "proj/aba", "proj/ba", "proj/b", "proj/p7", "proj/p8", "proj/p8:env/x", "proj/p7:env/x",
  "proj/p299:env/x", "proj/aba:env/e;t,u", "proj/aba:env/e;ut", "proj/aba:env/e;tu", "proj/aba:env/e;t",
  "proj/b:env/e;t", "proj/a:env/e:flag/f", "proj/a:env/e;{critical:true}:flag/f", "proj/a:env/e;{critical:false}:flag/f",
  "proj/a;{critical:false}", "proj/a;{critical:false}:env/e;{critical:false}:flag/f", "proj/a;view:web",
  "proj/a;view:mobile", "proj/a:env/e:flag/f;view:web", "proj/a:env/e:flag/f;view:mobile",
  "proj/a:env/e:flag/f;view:web,view:mobile", "proj/a1", "proj/a1-x:env/e", "proj/a63-x:env/e", "proj/a64-x:env/e",
  "proj/web", "proj/é", "proj/éb", "proj/éa", "proj/a-b_c.d", "proj/\u{1F600}x:env/e", "member/m1:token/t",
  "member/m2:token/t", "service-token/t", "acct", "role/r", "proj/a:env/e:flag/f:x/y", `proj/${"ab".repeat(40)}`,
  `proj/${"ba".repeat(40)}:env/e`, `proj/a;${Array.from({ length: 50 }, (_, i) => `t${i}`).join(",")}`,
];
const PERSONAL = { ...TOKEN, _id: "t2", role: "reader" };
for (const [name, statements, roleAttributes] of SHAPES) {
  BIG.push([`evaluate of "${name}", every question`, (tg) => {
    for (const action of SHAPE_ACTIONS) {
      for (const resource of SHAPE_RESOURCES) tg.evaluate(statements, action, resource, { roleAttributes });
    }
  }]);
  // As a token's inline role, capped by a member of each base role, or by one whose assigned role (another shape)
  // replaces its base role.
  const members = ["admin", "writer", "reader", "no_access"].map((role) => ({ ...MEMBER, role }));
  members.push(...SHAPES.filter((_, i) => i % 2 === 0).map((_, i) => ({ ...MEMBER, role: "admin", customRoles: [`id${2 * i}`] })));
  const roles = SHAPES.map(([key, policy], i) => ({ _id: `id${i}`, key: `r${i}`, name: key, policy }));
  for (const member of members) {
    const who = member.customRoles ? `an admin given ${member.customRoles[0]}` : `a ${member.role}`;
    BIG.push([`a token of "${name}" made by ${who}, every question`, (tg) => {
      const p = tg.Principal.fromToken({ ...TOKEN, role: undefined, inlineRole: statements }, { member, roles });
      for (const action of SHAPE_ACTIONS) {
        for (const resource of SHAPE_RESOURCES) p.can(action, resource);
        if (!action.includes("Access")) continue;
        p.explain(action, `member/m1:token/${PERSONAL._id}`);
        p.checkAction(PERSONAL, action);
      }
      p.permittedActions(PERSONAL);
    }]);
  }
}

/// What the checks module (`tokengate/checks`) leaves out: the client and the analyses. Cases whose label starts
/// with one of these are not run against it.
const NOT_IN_CHECKS = [
  "comparePolicies", "auditTokens", "new TokensClient", "client.", "principal.checkPatch", "principal.checkCreate",
  "checkCreate", "principal.compare", "principal.lockout", "principal.checkReset",
];

/// Whether the case labelled `label` calls what the checks module has.
const inChecks = (label) => !NOT_IN_CHECKS.some((prefix) => label.startsWith(prefix));

/// Every case, in a fixed order: [label, run(tg)]. `checksOnly`: the cases for the checks module.
export function buildCases({ checksOnly = false } = {}) {
  const cases = buildAllCases();
  return checksOnly ? cases.filter(([label]) => inChecks(label)) : cases;
}

/// The exports and `Principal` methods the checks module must have, and nothing else of the surface.
export const CHECKS_SURFACE = SURFACE.map(([name]) => name).filter(inChecks);

function buildAllCases() {
  const cases = [];
  for (const [name, arity, call] of SURFACE) {
    const plausible = PLAUSIBLE[name] ?? Array(arity).fill(undefined);
    for (let position = 0; position < arity; position++) {
      for (const [kind, make] of Object.entries(HOSTILE)) {
        cases.push([`${name} arg ${position} = ${kind}`, (tg) => {
          const args = plausible.slice();
          args[position] = make();
          return call(tg, args);
        }]);
      }
    }
    cases.push([`${name}()`, (tg) => call(tg, [])]);
    cases.push([`${name}(...plausible, 1, 2, 3)`, (tg) => call(tg, [...plausible, 1, 2, 3])]);
  }
  cases.push(...BIG);
  return cases;
}

/// The package's `TypeError`s, with their code: an argument of the wrong type, or a member of a freed object.
const isArgumentError = (error) =>
  error instanceof TypeError && (error.code === "invalid_argument" || error.code === "freed");

/// What a thrown value says about the package: ["typed", detail, messageLength] for its own errors (`PolicyError`,
/// `ApiError`, its coded `TypeError`), ["trap", ...] for a WebAssembly trap, ["untyped", ...] for anything else,
/// any other `TypeError` included.
export function classify(tg, error) {
  if (error instanceof WebAssembly.RuntimeError) return ["trap", error.message];
  if (error instanceof tg.PolicyError || error instanceof tg.ApiError || isArgumentError(error)) {
    if (typeof error.code !== "string" || !error.code || typeof error.message !== "string") {
      return ["untyped", `typed error without code or message: ${error.code}`];
    }
    return ["typed", `${error.code}: ${error.message.slice(0, 120)}`, error.message.length];
  }
  return ["untyped", `${error?.constructor?.name}: ${String(error?.message ?? error).slice(0, 200)}`];
}

/// Throws unless the module still answers correctly.
export function stillWorks(tg) {
  const fail = (what) => {
    throw new Error(`the module no longer works: ${what}`);
  };
  if (tg.evaluate(POLICY, "viewProject", "proj/x").allowed !== true) fail("evaluate allow");
  if (tg.evaluate(POLICY, "viewProject", "env/x").allowed !== false) fail("evaluate deny");
  const segments = tg.parseResource("proj/a;t:env/b");
  if (segments.length !== 2 || segments[0].tags[0] !== "t") fail("parseResource");
  if (tg.validatePolicy(POLICY).some((d) => d.severity === "error")) fail("validatePolicy");
  const p = tg.Principal.fromToken(TOKEN, { member: MEMBER });
  if (!p.isAdmin || !p.can("deleteAccessToken", "member/m2:token/t").allowed) fail("Principal");
  const policy = tg.Policy.compile(POLICY);
  if (!policy.can("viewProject", "proj/x") || policy.evaluate("viewProject", "env/x").allowed) fail("Policy");
}
