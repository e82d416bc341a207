// What a check is asked, and what it remembers: a question holding `*` or a control character is refused rather
// than matched as written; remembered answers are keyed by the action and the resource themselves; a freed
// object's members throw a coded TypeError. Each for the main module and `tokengate/checks`, as ES modules and
// through CommonJS.
//
//   scripts/build-pkg.sh && node --test tests/js/questions.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { linkPackage } from "../support/js/package.mjs";

linkPackage(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);
const MODULES = [
  ["tokengate", await import("tokengate")],
  ["tokengate/checks", await import("tokengate/checks")],
  ["require(tokengate)", require("tokengate")],
  ["require(tokengate/checks)", require("tokengate/checks")],
];

/** A token whose own policy acts on `proj/mobile` only, made by an admin (whose cap allows everything). */
const TOKEN = {
  _id: "5f3a9c0d1e2b4a6c8d0e1f2a",
  ownerId: "m1",
  memberId: "m1",
  creationDate: 1700000000000,
  lastModified: 1700000000000,
  inlineRole: [
    { effect: "allow", resources: ["proj/mobile"], actions: ["viewProject"] },
    { effect: "allow", resources: ["proj/mobile:env/*:flag/*"], actions: ["*"] },
  ],
};
const MEMBER = { _id: "m1", email: "m1@example.com", role: "admin" };
const POLICY = TOKEN.inlineRole;
const OTHER = { ...TOKEN, _id: "6f3a9c0d1e2b4a6c8d0e1f2a", inlineRole: undefined, role: "reader" };

/**
 * Questions that are not one question, each once allowed: [action, resource, code of `evaluate`'s error, code of
 * `can`'s error, span]. `can` reports a resource's own code (as it does for one that does not parse).
 */
const NOT_ONE_QUESTION = [
  ["deleteFlag", "proj/mobile:env/*:flag/checkout", "invalid_resource", "wildcard", { start: 16, end: 17 }],
  ["*", "proj/mobile:env/production:flag/checkout", "invalid_action", "invalid_action", { start: 0, end: 1 }],
  ["delete*", "proj/mobile:env/production:flag/checkout", "invalid_action", "invalid_action", { start: 6, end: 7 }],
  ["view\0Project", "proj/mobile", "invalid_action", "invalid_action", { start: 4, end: 5 }],
  ["viewProject\n", "proj/mobile", "invalid_action", "invalid_action", { start: 11, end: 12 }],
  ["viewProject", "proj/mobile\0", "invalid_resource", "bad_character", { start: 11, end: 12 }],
  ["viewProject", "proj/mob\nile", "invalid_resource", "bad_character", { start: 8, end: 9 }],
];

function refused(tg, call, code, span, what) {
  assert.throws(call, (error) => {
    assert.ok(error instanceof tg.PolicyError, `${what}: ${error}`);
    assert.equal(error.code, code, `${what}: ${error.message}`);
    assert.deepEqual(error.span, span, what);
    return true;
  });
}

for (const [name, tg] of MODULES) {
  test(`${name}: a question with a wildcard or a control character is refused, not answered`, () => {
    const principal = tg.Principal.fromToken(TOKEN, { member: MEMBER });
    assert.equal(principal.can("deleteFlag", "proj/mobile:env/production:flag/checkout").allowed, true);
    assert.equal(principal.can("deleteFlag", "proj/web:env/production:flag/checkout").allowed, false);
    for (const [action, resource, evaluateCode, canCode, span] of NOT_ONE_QUESTION) {
      const what = `${JSON.stringify(action)} on ${JSON.stringify(resource)}`;
      // Twice each: a refusal is never remembered as an answer.
      for (let i = 0; i < 2; i++) {
        refused(tg, () => principal.can(action, resource), canCode, span, `can ${what}`);
        refused(tg, () => principal.explain(action, resource), canCode, span, `explain ${what}`);
        refused(tg, () => tg.evaluate(POLICY, action, resource), evaluateCode, span, `evaluate ${what}`);
        refused(tg, () => tg.evaluate(POLICY, action, resource, { roleAttributes: {} }), evaluateCode, span, `evaluate ${what} with options`);
      }
    }
    for (const [action, span] of [["*", { start: 0, end: 1 }], ["delete*", { start: 6, end: 7 }], ["deleteAccess\0Token", { start: 12, end: 13 }]]) {
      refused(tg, () => principal.checkAction(OTHER, action), "invalid_action", span, `checkAction ${JSON.stringify(action)}`);
    }
    // parseResource reads a policy's pattern unless asked for a concrete resource.
    assert.equal(tg.parseResource("proj/mobile:env/*")[1].name, "*");
    refused(tg, () => tg.parseResource("proj/mobile:env/*", { concrete: true }), "wildcard", { start: 16, end: 17 }, "parseResource concrete");
    refused(tg, () => tg.parseResource("proj/a\0", { concrete: true }), "bad_character", { start: 6, end: 7 }, "parseResource concrete");
    assert.deepEqual(tg.parseResource("proj/a;t", { concrete: true })[0].tags, ["t"]);
    principal.free();
  });

  test(`${name}: remembered answers are keyed by the action and the resource, not by a string of both`, () => {
    // Once keyed by `${action}\0${resource}`: these two questions shared a key, and the second (a resource that
    // does not parse) was answered with the first's "allowed".
    const policy = [{ effect: "allow", resources: ["proj/*"], actions: ["viewProject"] }];
    const principal = tg.Principal.fromToken({ ...TOKEN, inlineRole: policy }, { member: MEMBER });
    for (const ask of [
      (action, resource) => tg.evaluate(policy, action, resource),
      (action, resource) => principal.can(action, resource),
      (action, resource) => principal.explain(action, resource),
    ]) {
      assert.throws(() => ask("viewProject\0proj/s", "proj/x"), tg.PolicyError);
      assert.throws(() => ask("viewProject", "proj/s\0proj/x"), tg.PolicyError);
      // Asked again, after answers are remembered.
      assert.equal(ask("viewProject", "proj/x").allowed, true);
      assert.equal(ask("viewProject", "proj/x").allowed, true);
      assert.throws(() => ask("viewProject", "proj/x\0"), tg.PolicyError);
      assert.equal(ask("viewProjectx", "proj/x").allowed, false);
      assert.equal(ask("viewProject", "xproj/x").allowed, false);
    }
    principal.free();
  });

  test(`${name}: every member of a freed object throws a TypeError with code "freed"`, () => {
    const objects = [["Principal", tg.Principal.fromToken(TOKEN, { member: MEMBER })]];
    if (tg.TokensClient) objects.push(["TokensClient", new tg.TokensClient({ token: "api-x", baseUrl: "http://127.0.0.1:9" })]);
    for (const [className, object] of objects) {
      const proto = Object.getPrototypeOf(object);
      if (className === "Principal") object.can("viewProject", "proj/mobile"); // remembered before it is freed
      object.free();
      object.free(); // freeing again does nothing
      if (typeof Symbol.dispose === "symbol" && typeof object[Symbol.dispose] === "function") object[Symbol.dispose]();
      let members = 0;
      for (const key of Reflect.ownKeys(proto)) {
        if (key === "constructor" || key === "free" || key === Symbol.dispose) continue;
        const descriptor = Object.getOwnPropertyDescriptor(proto, key);
        const call = descriptor.get ? () => object[key] : typeof descriptor.value === "function" ? () => object[key]("viewProject", "proj/mobile") : undefined;
        if (call === undefined) continue;
        members++;
        assert.throws(call, (error) => {
          assert.ok(error instanceof TypeError, `${className}.${String(key)}: ${error}`);
          assert.equal(error.code, "freed", `${className}.${String(key)}: ${error.message}`);
          assert.match(error.message, new RegExp(`^${className}\\.`));
          return true;
        });
      }
      assert.ok(members > 3, `${className} has members to check`);
    }
  });
}
