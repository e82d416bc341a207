// Speed of the permission checks from JavaScript, in one run:
//   - Principal.can (policies compiled once; answers `{ allowed, effect, indeterminate }`, the check alone),
//     Principal.explain (the same answer with the whole Decision: matched statements, reason), Policy.can and
//     Policy.evaluate (20 statements compiled once with Policy.compile), and evaluate (statements read and
//     compiled on every call), from the built package, each on the same few questions (whose answers the
//     package remembers) and on a new resource or new statements every call (which it cannot);
//   - a floor: a new string copied into the module's memory and freed, as the glue passes every string, with
//     no work done on it; no call that carries a resource the module has not seen can cost less;
//   - the same check in plain JavaScript (statements compiled to regular expressions once), as a baseline;
//   - @cedar-policy/cedar-wasm on an equivalent Cedar policy, prepared once (preparsePolicySet +
//     statefulIsAuthorized), the fastest way it offers;
//   - @casl/ability on the same rules as CASL writes them (conditions on the flag's project and environment),
//     built once with createMongoAbility; its subjects are plain objects, as a page's rows are.
// It ends with the targets, each as a ratio against a peer measured in the same run or as a time.
// Every implementation is first checked to give the same answers on the same cases.
//
//   node bench/js/bench.mjs          (needs pkg/ from scripts/build-pkg.sh and tools/node_modules)

import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const root = fileURLToPath(new URL("../../", import.meta.url));
const { Principal, Policy, evaluate } = await import(pathToFileURL(`${root}pkg/index.mjs`).href);
// The module's raw exports (allocator, memory), for the floor below: tokengate/web's initSync hands back the
// instance index.mjs already made (the two entries share one glue), so nothing is instantiated twice.
const { initSync } = await import(pathToFileURL(`${root}pkg/web.mjs`).href);
const raw = initSync({ module: readFileSync(`${root}pkg/tokengate_bg.wasm`) });
const toolsRequire = createRequire(`${root}tools/package.json`);
const cedar = toolsRequire("@cedar-policy/cedar-wasm/nodejs");
const { createMongoAbility } = toolsRequire("@casl/ability");

// The policy: a project role with an exception, as custom roles are written. A principal may modify a
// flag only if it may also view the project, hence the viewProject statement.
const statements = [
  { effect: "allow", resources: ["proj/mobile"], actions: ["viewProject"] },
  { effect: "allow", resources: ["proj/mobile:env/*:flag/*"], actions: ["*"] },
  { effect: "deny", resources: ["proj/*:env/production:flag/*"], actions: ["deleteFlag"] },
];
const cases = [
  ["updateOn", "proj/mobile:env/production:flag/new-ui", true],
  ["deleteFlag", "proj/mobile:env/production:flag/new-ui", false],
  ["deleteFlag", "proj/mobile:env/test:flag/new-ui", true],
  ["updateOn", "proj/web:env/test:flag/new-ui", false],
];

// tokengate: a token whose inline policy is the statements, created by an admin (whose cap allows all).
const member = { _id: "m1", role: "admin", email: "a@example.com", _links: {} };
const token = {
  _id: "a".repeat(24), ownerId: "o", memberId: "m1", creationDate: 1, lastModified: 1,
  inlineRole: statements, _links: {},
};
const principal = Principal.fromToken(token, { member, roles: [] });

// Plain JavaScript: globs to regular expressions, deny beats allow.
function compileJs(policy) {
  const glob = (g) => new RegExp(`^${g.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return policy.map((s) => ({ allow: s.effect === "allow", actions: s.actions.map(glob), resources: s.resources.map(glob) }));
}
const jsPolicy = compileJs(statements);
function jsCan(action, resource) {
  let allowed = false;
  for (const s of jsPolicy) {
    if (s.actions.some((a) => a.test(action)) && s.resources.some((r) => r.test(resource))) {
      if (!s.allow) return false;
      allowed = true;
    }
  }
  return allowed;
}

// Cedar: the same rules over flag entities carrying their project and environment.
const cedarPolicies = `
permit(principal, action, resource is Flag) when { resource.project == "mobile" };
forbid(principal, action == Action::"deleteFlag", resource is Flag) when { resource.environment == "production" };
`;
const prepared = cedar.preparsePolicySet("bench", { staticPolicies: cedarPolicies });
assert.equal(prepared.type, "success", JSON.stringify(prepared));
function cedarCall(action, resource) {
  const [, project, , env, , flag] = resource.split(/[/:]/);
  return {
    principal: { type: "Token", id: "t" },
    action: { type: "Action", id: action },
    resource: { type: "Flag", id: flag },
    context: {},
    preparsedPolicySetId: "bench",
    entities: [{ uid: { type: "Flag", id: flag }, attrs: { project, environment: env }, parents: [] }],
  };
}
function cedarCan(action, resource) {
  const answer = cedar.statefulIsAuthorized(cedarCall(action, resource));
  if (answer.type !== "success") throw new Error(JSON.stringify(answer));
  return answer.response.decision === "allow";
}

// CASL: the same rules over flag objects carrying their project and environment ("manage" is any action).
const ability = createMongoAbility([
  { action: "viewProject", subject: "Project", conditions: { key: "mobile" } },
  { action: "manage", subject: "Flag", conditions: { project: "mobile" } },
  { action: "deleteFlag", subject: "Flag", conditions: { environment: "production" }, inverted: true },
], { detectSubjectType: (object) => object.type });
function caslSubject(resource) {
  const [, project, , environment, , key] = resource.split(/[/:]/);
  return { type: "Flag", project, environment, key };
}
const caslSubjects = cases.map(([, resource]) => caslSubject(resource));

// evaluate on a longer policy: 17 more statements (other projects, other environments, a few denies) before
// the three above, so the answers stay the same.
const longStatements = [
  ...Array.from({ length: 17 }, (_, k) => k % 4 === 3
    ? { effect: "deny", resources: [`proj/p${k}:env/*:flag/*`], actions: ["deleteFlag", "updateTargets"] }
    : { effect: "allow", resources: [`proj/p${k}:env/${k % 2 ? "test" : "*"}:flag/*`, `proj/p${k}`], actions: ["*"] }),
  ...statements,
];
assert.equal(longStatements.length, 20);
const compiled = Policy.compile(longStatements);

for (const [index, [action, resource, expected]] of cases.entries()) {
  assert.equal(ability.can(action, caslSubjects[index]), expected, `casl ${action} ${resource}`);
  assert.equal(ability.can(action, caslSubject(resource)), expected, `casl (new subject) ${action} ${resource}`);
  assert.equal(evaluate(longStatements, action, resource).allowed, expected, `evaluate (20 statements) ${action} ${resource}`);
  assert.equal(compiled.can(action, resource), expected, `Policy.can (20 statements) ${action} ${resource}`);
  assert.deepEqual(compiled.evaluate(action, resource), evaluate(longStatements, action, resource), `Policy.evaluate ${action} ${resource}`);

  const verdict = principal.can(action, resource);
  assert.equal(verdict.allowed, expected, `Principal.can ${action} ${resource}`);
  assert.equal(verdict.effect, evaluate(statements, action, resource).effect, `Principal.can effect ${action} ${resource}`);
  const decision = principal.explain(action, resource);
  assert.deepEqual([decision.allowed, decision.effect, decision.indeterminate], [verdict.allowed, verdict.effect, verdict.indeterminate],
    `Principal.explain ${action} ${resource}`);
  assert.equal(evaluate(statements, action, resource).allowed, expected, `evaluate ${action} ${resource}`);
  assert.equal(jsCan(action, resource), expected, `js ${action} ${resource}`);
  assert.equal(cedarCan(action, resource), expected, `cedar ${action} ${resource}`);
}

function measure(name, iterations, fn) {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) fn(i); // warm up
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    const ns = Number(process.hrtime.bigint() - start) / iterations;
    best = Math.min(best, ns);
  }
  return { name, ns: best };
}

let sink = 0;
let memory = new Uint8Array(raw.memory.buffer);
const pick = (i) => cases[i & 3];
const results = [
  measure("Principal.can (tokengate, compiled once)", 400_000, (i) => {
    const [a, r] = pick(i);
    sink += principal.can(a, r).allowed ? 1 : 0;
  }),
  measure("Principal.can, a new resource every call", 100_000, (i) => {
    // 4096 distinct flags cycle through the package's memo of answers (1024 per method), so every call
    // crosses into the module and parses its resource.
    sink += principal.can("updateOn", `proj/mobile:env/production:flag/f${i & 4095}`).allowed ? 1 : 0;
  }),
  measure("Principal.explain (the whole Decision)", 40_000, (i) => {
    // What a caller pays when it also wants why: matched statements, reason, what is missing.
    const [a, r] = pick(i);
    sink += principal.explain(a, r).reason.length > 0 ? 1 : 0;
  }),
  measure("Principal.explain, a new resource every call", 20_000, (i) => {
    sink += principal.explain("updateOn", `proj/mobile:env/production:flag/f${i & 4095}`).reason.length > 0 ? 1 : 0;
  }),
  measure("Policy.can, 20 statements (compiled once)", 400_000, (i) => {
    const [a, r] = pick(i);
    sink += compiled.can(a, r) ? 1 : 0;
  }),
  measure("Policy.can, 20 statements, a new resource", 100_000, (i) => {
    sink += compiled.can("updateOn", `proj/mobile:env/production:flag/f${i & 4095}`) ? 1 : 0;
  }),
  measure("Policy.evaluate, 20 statements, a new resource", 20_000, (i) => {
    sink += compiled.evaluate("updateOn", `proj/mobile:env/production:flag/f${i & 4095}`).allowed ? 1 : 0;
  }),
  measure("evaluate (tokengate)", 40_000, (i) => {
    const [a, r] = pick(i);
    sink += evaluate(statements, a, r).allowed ? 1 : 0;
  }),
  measure("evaluate, 20 statements", 20_000, (i) => {
    const [a, r] = pick(i);
    sink += evaluate(longStatements, a, r).allowed ? 1 : 0;
  }),
  measure("evaluate, 20 statements, a new resource", 20_000, (i) => {
    sink += evaluate(longStatements, "updateOn", `proj/mobile:env/production:flag/f${i & 4095}`).allowed ? 1 : 0;
  }),
  measure("evaluate, 20 new statements every call", 2_000, (i) => {
    // A copy with one name changed: read and compiled, as every call's statements are.
    const fresh = longStatements.map((s) => ({ ...s }));
    fresh[0] = { ...fresh[0], resources: [`proj/q${i}:env/*:flag/*`] };
    sink += evaluate(fresh, "updateOn", "proj/mobile:env/production:flag/new-ui").allowed ? 1 : 0;
  }),
  measure("Principal.fromToken (a token and its creator)", 20_000, () => {
    const made = Principal.fromToken(token, { member, roles: [] });
    sink += made.isService ? 1 : 0;
    made.free();
  }),
  measure("floor: a new string into the module, no work", 100_000, (i) => {
    // What any call carrying a string the module has not seen pays before it does anything: the allocation,
    // the copy (the glue's own loop for ASCII text, into a view kept while memory does not grow) and the free.
    // No check, no parse.
    const text = `proj/mobile:env/production:flag/f${i & 4095}`;
    const ptr = raw.__wbindgen_malloc(text.length, 1) >>> 0;
    if (memory.byteLength === 0) memory = new Uint8Array(raw.memory.buffer);
    for (let k = 0; k < text.length; k++) memory[ptr + k] = text.charCodeAt(k);
    raw.__wbindgen_free(ptr, text.length, 1);
    sink += memory[ptr];
  }),
  measure("plain JavaScript (regexps compiled once)", 400_000, (i) => {
    const [a, r] = pick(i);
    sink += jsCan(a, r) ? 1 : 0;
  }),
  measure("CASL ability.can (the same subjects)", 400_000, (i) => {
    sink += ability.can(cases[i & 3][0], caslSubjects[i & 3]) ? 1 : 0;
  }),
  measure("CASL ability.can, a new subject every call", 100_000, (i) => {
    sink += ability.can("updateOn", { type: "Flag", project: "mobile", environment: "production", key: `f${i & 4095}` }) ? 1 : 0;
  }),
  measure("cedar-wasm statefulIsAuthorized (prepared)", 20_000, (i) => {
    const [a, r] = pick(i);
    sink += cedarCan(a, r) ? 1 : 0;
  }),
];

const ns = (prefix) => results.find((r) => r.name.startsWith(prefix)).ns;
const can = ns("Principal.can (tokengate");
console.log(`node ${process.version}, ${cases.length} cases rotating; best of 5 rounds`);
for (const r of results) {
  console.log(`${r.name.padEnd(46)} ${r.ns.toFixed(1).padStart(9)} ns/check   ${(r.ns / can).toFixed(2).padStart(8)}x Principal.can`);
}
const target = (met) => (met ? "met" : "NOT met");
const µs = (x) => `${(x / 1000).toFixed(2)} µs`;
const canNew = ns("Principal.can, a new resource");
const caslNew = ns("CASL ability.can, a new subject");
const caslSame = ns("CASL ability.can (the same");
console.log(`Principal.can, a new resource: ${(canNew / caslNew).toFixed(2)}x CASL's time on a new subject ` +
  `(${canNew.toFixed(0)} ns vs ${caslNew.toFixed(0)} ns; target <= 2x: ${target(canNew <= 2 * caslNew)})`);
const floor = ns("floor:");
console.log(`  the floor of any call with a new string, before any check: ${floor.toFixed(0)} ns, ` +
  `${(floor / caslNew).toFixed(2)}x CASL's whole check on a new subject`);
console.log(`Principal.can, repeated: ${(can / caslSame).toFixed(2)}x CASL's time on the same subjects ` +
  `(${can.toFixed(0)} ns vs ${caslSame.toFixed(0)} ns; target <= 0.5x: ${target(can <= 0.5 * caslSame)})`);
const explainNs = ns("Principal.explain (");
const explainNew = ns("Principal.explain, a new resource");
console.log(`Principal.explain of a new resource: ${µs(explainNew)} (target <= 5 µs: ${target(explainNew <= 5000)}); ` +
  `repeated: ${µs(explainNs)}`);
const longFresh = ns("evaluate, 20 new statements");
console.log(`evaluate of 20 new statements: ${µs(longFresh)} (target <= 50 µs: ${target(longFresh <= 50_000)}); ` +
  `the same 20 statements again: ${µs(ns("evaluate, 20 statements"))} (evaluate keeps nothing: Policy.compile is the way to reuse)`);
const policyCan = ns("Policy.can, 20 statements (");
const policyNew = ns("Policy.can, 20 statements, a new resource");
console.log(`Policy.can, 20 statements compiled once: ${policyCan.toFixed(0)} ns a check (target <= 1 µs: ` +
  `${target(policyCan <= 1000)}); a new resource: ${policyNew.toFixed(0)} ns`);
console.log(`Principal.fromToken (a token, its creator): ${µs(ns("Principal.fromToken"))}`);
const cedarNs = ns("cedar-wasm");
console.log(`Principal.can vs cedar-wasm prepared: ${(cedarNs / can).toFixed(1)}x faster (target >= 50x: ${target(cedarNs / can >= 50)})`);
if (sink < 0) console.log(sink);
