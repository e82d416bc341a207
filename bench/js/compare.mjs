// comparePolicies in the WebAssembly build: two 50-statement policies (the same shapes as the native
// `benches/compare.rs`: globbed names, tags, a property selector, views, notResources, notActions, the view rule)
// compared, printed beside one `evaluate` of the same policy measured in the same run; and the same change made
// to one of a token's two custom roles, compared as whole principals (both roles, the creator's cap). Then the
// time every analysis takes to reach the comparison's work budget on four statements whose names hold 63 or 64
// stars (805 bytes), and an audit of 2,000 base-role tokens (four distinct pairs of permissions and creator).
// Times and ratios only: nothing here fails on time.
//
//   node bench/js/compare.mjs            (after scripts/build-pkg.sh)

import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const { auditTokens, comparePolicies, evaluate, Principal } = await import(pathToFileURL(`${root}pkg/index.mjs`).href);

const PROJECTS = ["web", "api", "mobile-*", "shop", "data-*"];
const ENVS = ["production", "staging", "test", "*-dev", "*"];
const ACTIONS = [["updateOn", "updateFallthrough"], ["update*"], ["createFlag", "cloneFlag"], ["delete*"], ["updateTargets", "updateRules"]];

/** A role of 50 statements; `variant` 1 narrows one statement and widens another. */
function policy(variant) {
  const statements = [
    { effect: "allow", resources: ["acct"], actions: ["updateRequireMfa"] },
    { effect: "deny", notResources: ["proj/*", "proj/*:env/*", "proj/*:env/*:flag/*"], actions: ["delete*"] },
  ];
  outer: for (const [p, project] of PROJECTS.entries()) {
    statements.push({ effect: "allow", resources: [`proj/${project}`], actions: ["viewProject"] });
    for (const [e, env] of ENVS.entries()) {
      statements.push({ effect: "allow", resources: [`proj/${project}:env/${env}:flag/*`], actions: ACTIONS[(p + e) % ACTIONS.length] });
      if (statements.length >= 48) break outer;
    }
    statements.push({ effect: "deny", resources: [`proj/${project}:env/*;{critical:true}:flag/*`, `proj/${project}:env/*;locked:flag/*`], actions: ["updateOn", "delete*"] });
    statements.push({ effect: "allow", resources: [`proj/${project}:env/*:segment/*;view:team-${p}*`], notActions: ["deleteSegment"] });
  }
  for (let metric = 0; statements.length < 48; metric++) {
    const project = PROJECTS[metric % PROJECTS.length];
    statements.push({ effect: "allow", resources: [`proj/${project}:metric/m${metric}-*;team-${metric}`], actions: ["updateMetric*", "createMetric"] });
  }
  statements.length = 48;
  statements.push({ effect: "allow", resources: ["member/*:token/*"], actions: ["updateAccessToken*", "resetAccessToken"] });
  if (variant === 1) {
    statements[4] = { effect: "allow", resources: ["proj/web:env/prod*:flag/*;beta"], actions: ["updateOn"] };
    statements.push({ effect: "allow", resources: ["proj/api:env/*:flag/new-*"], actions: ["*"] });
  } else {
    statements.push({ effect: "deny", resources: ["proj/*:env/*:flag/*;archived"], actions: ["*"] });
  }
  return statements;
}

const before = policy(0);
const after = policy(1);
if (before.length !== 50 || after.length !== 50) throw new Error("the policies must have 50 statements each");

function best(rounds, iterations, fn) {
  fn();
  let ns = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    ns = Math.min(ns, Number(process.hrtime.bigint() - start) / iterations);
  }
  return ns;
}

let change;
const compareNs = best(5, 3, () => {
  change = comparePolicies(before, after, { limit: 10 });
});
const evaluateNs = best(5, 200, () => evaluate(before, "updateTargets", "proj/shop:env/staging;{critical:false}:flag/new-checkout"));
console.log(`node ${process.version}, ${before.length} and ${after.length} statements; best of 5 rounds`);
console.log(`comparePolicies: ${(compareNs / 1e6).toFixed(1)} ms (granted ${change.granted.total}, revoked ${change.revoked.total} regions)`);
console.log(`evaluate of the same policy: ${(evaluateNs / 1e3).toFixed(1)} µs; the comparison costs ${(compareNs / evaluateNs).toFixed(0)} evaluates`);
console.log(`within 50 ms: ${compareNs < 50e6 ? "yes" : "NO"}`);

// A token holding the 50-statement role and a second one, made by an admin; the first role edited.
const role = (key, policy) => ({ _id: key, key, name: key, policy });
const other = role("other", [{ effect: "allow", resources: ["proj/*:env/test:flag/*"], actions: ["*"] }]);
const token = { _id: "t", ownerId: "m", memberId: "m", creationDate: 0, lastModified: 0, customRoleIds: ["main", "other"], _links: {} };
const member = { _id: "m", email: "m@example.com", role: "admin", _links: {} };
const principal = Principal.fromToken(token, { member, roles: [role("main", before), other] });
let whole;
const principalNs = best(5, 3, () => {
  whole = principal.compare({ roles: [role("main", after), other] }, { limit: 10 });
});
console.log(`Principal.compare, the role edited under a token of two roles and its creator: ${(principalNs / 1e6).toFixed(1)} ms (granted ${whole.granted.total}, revoked ${whole.revoked.total} regions)`);

// Reaching the bound: the stars policy, refused by every analysis with comparison_too_large.
const stars = ["*a", "*b", "*a", "*ab"].map((piece, i) => ({
  effect: i % 2 ? "deny" : "allow",
  resources: [`proj/${piece.repeat(i === 2 ? 63 : 64)}*`],
  actions: ["*"],
}));
if (JSON.stringify(stars).length !== 805) throw new Error("the stars policy must be 805 bytes");
function refused(fn) {
  try {
    fn();
  } catch (error) {
    if (error.code === "comparison_too_large") return error.message;
    throw error;
  }
  throw new Error("the stars policy was not refused");
}
let message;
const boundNs = best(3, 1, () => {
  message = refused(() => comparePolicies(stars, []));
});
console.log(`comparePolicies of the stars policy reaches the bound in ${(boundNs / 1e6).toFixed(0)} ms, ${(boundNs / compareNs).toFixed(1)} times the 50-statement comparison (${message})`);
const admin = { _id: "a", ownerId: "m", memberId: "m", creationDate: 0, lastModified: 0, role: "admin", _links: {} };
const caller = Principal.fromToken(admin, { member });
const patch = [{ op: "remove", path: "/role" }, { op: "add", path: "/inlineRole", value: stars }];
let checked;
const patchNs = best(3, 1, () => {
  checked = caller.checkPatch(admin, patch);
});
console.log(`checkPatch giving the caller the stars policy (preview, lockout, escalation): ${(patchNs / 1e6).toFixed(0)} ms (preview ${checked.preview ? "given" : "refused"}, guards ${checked.guards ? "given" : "refused"})`);
const starsToken = { ...admin, _id: "s", role: undefined, inlineRole: stars };
let audited;
const auditStarsNs = best(3, 1, () => {
  audited = auditTokens([starsToken], { members: [member] });
});
console.log(`auditTokens of one stars token: ${(auditStarsNs / 1e6).toFixed(0)} ms (${audited[0].uncheckedCode})`);

// Many tokens, few pairs: 2,000 reader and writer tokens of two members.
const members = ["m1", "m2"].map((id) => ({ _id: id, email: `${id}@example.com`, role: "writer", _links: {} }));
const tokens = Array.from({ length: 2000 }, (_, i) => {
  const creator = members[Math.floor(i / 2) % 2]._id;
  return { _id: `t${i}`, ownerId: creator, memberId: creator, creationDate: 0, lastModified: 0, role: ["reader", "writer"][i % 2], _links: {} };
});
const auditNs = best(3, 1, () => auditTokens(tokens, { members }));
console.log(`auditTokens of 2,000 base-role tokens (4 distinct pairs): ${(auditNs / 1e6).toFixed(0)} ms, ${(auditNs / compareNs).toFixed(1)} times the 50-statement comparison`);
