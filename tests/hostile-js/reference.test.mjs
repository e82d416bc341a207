// The JavaScript reference itself, on the spec's own examples (as tests/differential/spec_examples.rs checks the Rust
// one), so that a broken reference cannot pass the hostile sweep by agreeing with a broken engine. Needs no package.
//
//   node --test tests/hostile-js/reference.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { allows, baseRoleRow, glob, heldRoles, setAllows, specifierMatches, tokenAllows } from "./reference.mjs";

test("the reference reads the spec's examples of specifiers right", () => {
  assert.equal(specifierMatches("proj/mobile-*", "proj/mobile-ios", {}), true);
  assert.equal(specifierMatches("env/*;qa_*", "env/x;qa_team", {}), true);
  assert.equal(specifierMatches("env/*;qa_*", "env/x", {}), false);
  assert.equal(specifierMatches("proj/*", "proj/a:env/b", {}), false);
  assert.equal(specifierMatches("*", "proj/a:env/b:flag/c", {}), true);
  assert.equal(specifierMatches("proj/*;a,b", "proj/x;b,c,a", {}), true);
  assert.equal(specifierMatches("proj/*;a,b", "proj/x;a", {}), false);
  const attrs = { k: ["web", "api"] };
  assert.equal(specifierMatches("proj/${roleAttribute/k}-*", "proj/api-1", attrs), true);
  assert.equal(specifierMatches("proj/${roleAttribute/other}", "proj/web", attrs), false);
  // §4's selector and view examples, and the Decision on concrete resources: what is not stated is unknown.
  const critical = "proj/*:env/*;{critical:true}:flag/*";
  assert.equal(specifierMatches(critical, "proj/p:env/production;{critical:true}:flag/x;view:web", {}), true);
  assert.equal(specifierMatches(critical, "proj/p:env/production:flag/x", {}), null);
  assert.equal(specifierMatches(critical, "proj/p:env/production;{critical:false}:flag/x", {}), false);
  const views = "proj/p:env/*:flag/*;view:${roleAttribute/viewKeys}";
  assert.equal(specifierMatches(views, "proj/p:env/e:flag/x;view:mobile,view:web", { viewKeys: ["web"] }), true);
  assert.equal(specifierMatches(views, "proj/p:env/e:flag/x", { viewKeys: ["web"] }), null);
  assert.equal(glob("update*", "updateOn"), true);
  assert.equal(glob("update*", "Update"), false);
  assert.equal(glob("*a*b", "aaab"), true);
  assert.equal(glob("*a*b", "aaa"), false);
  assert.equal(glob("é*", "éa"), true);
});

test("the reference reads the spec's evaluation rules right", () => {
  const denyBeatsAllow = [
    { effect: "allow", resources: ["proj/*"], actions: ["*"] },
    { effect: "deny", resources: ["proj/a"], actions: ["update*"] },
  ];
  assert.equal(allows(denyBeatsAllow, "updateOn", "proj/a", {}), false);
  assert.equal(allows(denyBeatsAllow, "updateOn", "proj/b", {}), true);
  // `notResources` matches every resource, of any type and depth, that none of its entries matches.
  const allBut = [{ effect: "allow", notResources: ["proj/a"], actions: ["*"] }];
  assert.equal(allows(allBut, "x", "proj/a", {}), false);
  assert.equal(allows(allBut, "x", "proj/a:env/b", {}), true);
  // An empty list is the same as an absent one.
  assert.equal(allows([{ effect: "allow", resources: ["*"], notResources: [], actions: ["x"] }], "x", "acct", {}), true);
  // "Viewing is required to modify", from the roles taken together.
  const flagsOnly = [{ effect: "allow", resources: ["proj/*:env/*:flag/*"], actions: ["*"] }];
  assert.equal(setAllows([[flagsOnly, {}]], "updateOn", "proj/p:env/e:flag/f"), false);
  assert.equal(setAllows([[flagsOnly, {}]], "viewFlag", "proj/p:env/e:flag/f"), true);
  const view = [{ effect: "allow", resources: ["proj/p"], actions: ["viewProject"] }];
  assert.equal(setAllows([[flagsOnly, {}], [view, {}]], "updateOn", "proj/p:env/e:flag/f"), true);
  // A deny in one role does not cancel an allow in another.
  const denyAll = [{ effect: "deny", resources: ["*"], actions: ["*"] }];
  assert.equal(setAllows([[denyAll, {}], [[...flagsOnly, ...view], {}]], "updateOn", "proj/p:env/e:flag/f"), true);
});

test("the reference reads the spec's base roles, replacing roles and caps right", () => {
  const writer = (action, resource) => setAllows([[baseRoleRow("writer", "m1"), {}]], action, resource);
  assert.equal(writer("updateOn", "proj/a:env/b:flag/c"), true);
  assert.equal(writer("deleteAccessToken", "member/m1:token/t"), true);
  assert.equal(writer("deleteAccessToken", "member/m2:token/t"), false);
  assert.equal(setAllows([[baseRoleRow("writer"), {}]], "deleteAccessToken", "member/m1:token/t"), false);
  assert.equal(setAllows([[baseRoleRow("reader", "m1"), {}]], "updateOn", "proj/a"), false);
  // Directly assigned roles replace the base role's row.
  const custom = [{ effect: "allow", resources: ["proj/a"], actions: ["viewProject"] }];
  const admin = { _id: "m1", role: "admin", customRoles: ["r"] };
  const held = heldRoles(admin, [{ _id: "r", key: "r", policy: custom }]);
  assert.equal(setAllows(held, "viewProject", "proj/a"), true);
  assert.equal(setAllows(held, "viewProject", "proj/b"), false);
  // A token allows only what its own role and its member's cap both allow; without its member, nothing for sure.
  const token = { _id: "t", memberId: "m1", role: "admin" };
  assert.equal(tokenAllows(token, { member: { _id: "m1", role: "writer" } }, "deleteAccessToken", "member/m1:token/t"), true);
  assert.equal(tokenAllows(token, { member: { _id: "m1", role: "writer" } }, "deleteAccessToken", "member/m2:token/t"), false);
  assert.equal(tokenAllows({ ...token, role: "writer" }, { member: { _id: "m1", role: "admin" } }, "deleteAccessToken", "member/m1:token/t"), false);
  assert.equal(tokenAllows(token, {}, "viewProject", "proj/a"), null);
});

test("the judge reports each allowed answer the reference does not give, naming what was asked", async () => {
  const { createJudge } = await import("./judge.mjs");
  // A package that allows everything: what a fail-open looks like to the sweep.
  const principal = {
    can: () => ({ allowed: true }),
    checkAction: (token, action) => ({ allowed: true, checks: [{ action, resource: `member/${token.memberId}:token/${token._id}` }] }),
  };
  const yes = { evaluate: () => ({ allowed: true }), Principal: { fromToken: () => principal } };
  const judge = createJudge();
  const tg = judge.observe(yes);
  const deny = [{ effect: "deny", resources: ["*"], actions: ["*"] }];
  tg.evaluate(deny, "viewProject", "proj/a");
  tg.evaluate([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }], "viewProject", "proj/a");
  const token = { _id: "t", memberId: "m1", role: "reader" };
  const p = tg.Principal.fromToken(token, { member: { _id: "m1", role: "admin" } });
  p.can("updateOn", "proj/a");
  p.checkAction(token, "deleteAccessToken");
  tg.Principal.fromToken(token).can("viewProject", "proj/a");
  const { checked, failures } = judge.take();
  assert.equal(checked, 5);
  assert.equal(failures.length, 4, failures.join("\n"));
  assert.match(failures[0], /^evaluate\(.*"viewProject", "proj\/a".*denied in the reference$/);
  assert.match(failures[1], /can\("updateOn", "proj\/a"\): allowed by the engine, denied/);
  assert.match(failures[2], /checkAction\(.*deleteAccessToken on member\/m1:token\/t: allowed by the engine, denied/);
  assert.match(failures[3], /can\("viewProject", "proj\/a"\): allowed by the engine, unknown/);
  assert.deepEqual(judge.take(), { checked: 0, failures: [] });
});
