// The conformance corpus (tests/conformance/*.json) through the built npm package, as a page or a Node
// program would use it: evaluate() for policies, Principal.fromToken() with can and explain / see /
// checkAction / checkCreate for principals. One test per check, named by its id; the expected answers come from the
// sources each case cites. Offline: no server needed (the API cases run against the emulator in
// emulator/tests/conformance.rs).
//
//   scripts/build-pkg.sh && node --test tests/js/conformance.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { linkPackage } from "../support/js/package.mjs";

linkPackage(new URL(".", import.meta.url));
const { evaluate, Principal } = await import("tokengate");

const FILES = ["policies.json", "selectors.json", "view-rule.json", "tokens.json"];
const corpus = (name) => JSON.parse(readFileSync(new URL(`../conformance/${name}`, import.meta.url), "utf8"));

// The schema's required bookkeeping fields the cases leave out (the Rust runners fill in the same ones).
const completeToken = (token) => ({ ownerId: "5f1a00000000000000000001", creationDate: 1700000000000, lastModified: 1700000000000, ...token });
const completeMember = (member) => ({ email: `${member._id ?? "member"}@example.com`, ...member });

const verdict = (decision) => (decision.allowed ? "allow" : decision.indeterminate ? "indeterminate" : "deny");

function principalFor(kase) {
  const options = { roles: kase.roles ?? [], teams: kase.teams ?? [] };
  if (kase.member) options.member = completeMember(kase.member);
  return Principal.fromToken(completeToken(kase.token), options);
}

function ask(kase, check) {
  if (!kase.token) {
    return evaluate(kase.policy, check.action, check.resource, { roleAttributes: kase.roleAttributes ?? {} });
  }
  const principal = principalFor(kase);
  const target = () => completeToken(kase.targets[check.target]);
  switch (check.kind) {
    case "can": {
      // `can` answers the verdict alone; `explain` the same answer with why.
      const decision = principal.explain(check.action, check.resource);
      const { allowed, effect, indeterminate } = decision;
      assert.deepEqual(principal.can(check.action, check.resource), { allowed, effect, indeterminate }, "can agrees with explain");
      return decision;
    }
    case "see":
      return principal.see(target());
    case "action":
      return principal.checkAction(target(), check.action);
    case "create":
      return principal.checkCreate(check.body);
    default:
      throw new Error(`unknown kind ${check.kind}`);
  }
}

let count = 0;
for (const name of FILES) {
  for (const kase of corpus(name).cases) {
    for (const check of kase.checks) {
      count += 1;
      test(check.id, () => {
        const decision = ask(kase, check);
        assert.equal(verdict(decision), check.expect, decision.reason);
      });
    }
  }
}

test("the corpus, with its API cases, has at least 100 cases", () => {
  assert.ok(count + corpus("api.json").cases.length >= 100, `${count} checks`);
});
