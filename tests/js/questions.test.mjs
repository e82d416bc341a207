// What a check is asked, and what it remembers: a question holding `*` or a control character is refused rather
// than matched as written; remembered answers are keyed by the action and the resource themselves; a compiled
// `Policy` answers as `evaluate` does; a freed object's members throw a coded TypeError. Each for the main module
// and `tokengate/checks`, as ES modules and through CommonJS.
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
    const compiled = tg.Policy.compile(POLICY);
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
        refused(tg, () => compiled.evaluate(action, resource), evaluateCode, span, `Policy.evaluate ${what}`);
        refused(tg, () => compiled.can(action, resource), evaluateCode, span, `Policy.can ${what}`);
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
    compiled.free();
  });

  test(`${name}: remembered answers are keyed by the action and the resource, not by a string of both`, () => {
    // Once keyed by `${action}\0${resource}`: these two questions shared a key, and the second (a resource that
    // does not parse) was answered with the first's "allowed".
    const policy = [{ effect: "allow", resources: ["proj/*"], actions: ["viewProject"] }];
    const principal = tg.Principal.fromToken({ ...TOKEN, inlineRole: policy }, { member: MEMBER });
    const compiled = tg.Policy.compile(policy);
    for (const ask of [
      (action, resource) => tg.evaluate(policy, action, resource),
      (action, resource) => compiled.evaluate(action, resource),
      (action, resource) => ({ allowed: compiled.can(action, resource) }),
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
    compiled.free();
  });

  test(`${name}: every member of a freed object throws a TypeError with code "freed"`, () => {
    const objects = [["Principal", tg.Principal.fromToken(TOKEN, { member: MEMBER })], ["Policy", tg.Policy.compile(POLICY)]];
    if (tg.TokensClient) objects.push(["TokensClient", new tg.TokensClient({ token: "api-x", baseUrl: "http://127.0.0.1:9" })]);
    for (const [className, object] of objects) {
      const proto = Object.getPrototypeOf(object);
      if (className !== "TokensClient") object.can("viewProject", "proj/mobile"); // remembered before it is freed
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
      assert.ok(members >= 2, `${className} has members to check`);
    }
  });
}

/** Questions for `POLICY_WITH_ATTRIBUTES`: several resources, each action, allowed or not. */
const POLICY_WITH_ATTRIBUTES = [
  { effect: "allow", resources: ["proj/${roleAttribute/projects}"], actions: ["viewProject"] },
  { effect: "allow", resources: ["proj/${roleAttribute/projects}:env/*:flag/*"], actions: ["*"] },
  { effect: "deny", resources: ["proj/*:env/production:flag/*"], actions: ["deleteFlag"] },
  { effect: "allow", resources: ["proj/*:env/test;{critical:true}:flag/*"], actions: ["updateOn"] },
];
const ATTRIBUTES = { roleAttributes: { projects: ["mobile", "web"] } };
const QUESTIONS = [];
for (const action of ["viewProject", "updateOn", "deleteFlag", "createFlag"]) {
  for (const resource of ["proj/mobile", "proj/web:env/production:flag/f", "proj/mobile:env/test:flag/f",
    "proj/other:env/test:flag/f", "proj/other", "proj/web:env/production:flag/g", "proj/other:env/test:flag/x"]) {
    QUESTIONS.push([action, resource]);
  }
}

/** What `call` throws (or `undefined`), as the fields a caller reads. */
function thrown(call) {
  try {
    call();
  } catch (error) {
    return { class: error.constructor.name, name: error.name, message: error.message, ...error };
  }
  return undefined;
}

for (const [name, tg] of MODULES) {
  test(`${name}: a Policy compiled once answers many questions as evaluate does`, () => {
    for (const [statements, options] of [[POLICY, undefined], [POLICY_WITH_ATTRIBUTES, ATTRIBUTES], [POLICY_WITH_ATTRIBUTES, undefined], [[], undefined]]) {
      const policy = tg.Policy.compile(statements, options);
      assert.ok(policy instanceof tg.Policy);
      for (let round = 0; round < 2; round++) {
        for (const [action, resource] of QUESTIONS) {
          const what = `${action} on ${resource} (round ${round})`;
          const expected = tg.evaluate(statements, action, resource, options);
          const decision = policy.evaluate(action, resource);
          assert.deepEqual(decision, expected, what);
          assert.deepEqual(Object.keys(decision), Object.keys(expected), `${what}: the same fields in the same order`);
          assert.equal(policy.can(action, resource), expected.allowed, what);
        }
      }
      // Answers are handed out as fresh copies: changing one changes nothing asked later.
      const first = policy.evaluate("viewProject", "proj/mobile");
      assert.notEqual(policy.evaluate("viewProject", "proj/mobile"), first);
      first.allowed = !first.allowed;
      first.matched.push("changed");
      assert.deepEqual(policy.evaluate("viewProject", "proj/mobile"), tg.evaluate(statements, "viewProject", "proj/mobile", options));
      policy.free();
    }
    // A policy answers what it was compiled from: changing the statements afterwards changes nothing.
    const statements = POLICY.map((s) => ({ ...s, actions: [...s.actions] }));
    const policy = tg.Policy.compile(statements);
    statements[1].actions = ["viewProject"];
    assert.equal(policy.can("updateOn", "proj/mobile:env/test:flag/f"), true);
    assert.equal(tg.evaluate(statements, "updateOn", "proj/mobile:env/test:flag/f").allowed, false, "evaluate reads them again");
    // Many distinct questions, past what the package remembers: the answers stay right.
    for (let i = 0; i < 3000; i++) {
      assert.equal(policy.can("updateOn", `proj/${i % 2 ? "mobile" : "web"}:env/test:flag/f${i}`), i % 2 === 1);
    }
    policy.free();
  });

  test(`${name}: Policy.compile throws for statements what evaluate throws for them`, () => {
    const bad = [
      [{ effect: "allow" }],
      [{ effect: "maybe", resources: ["*"], actions: ["*"] }],
      [{ effect: "allow", resources: [], actions: ["*"] }, { effect: "maybe", resources: ["*"], actions: ["*"] }],
      [{ effect: "allow", resources: ["proj/x:"], actions: ["*"] }],
      [{ effect: "allow", resources: ["proj/${roleAttribute/missing}"], actions: ["*"] }],
      [{ effect: "allow", get resources() { throw new Error("no"); }, actions: ["*"] }],
      { 0: POLICY[0], length: 1 },
      42,
      "nope",
      null,
      undefined,
    ];
    let refusedCount = 0;
    for (const [index, statements] of bad.entries()) {
      const what = `bad statements ${index}`;
      const expected = thrown(() => tg.evaluate(statements, "viewProject", "proj/x"));
      if (expected !== undefined) refusedCount++;
      assert.deepEqual(thrown(() => tg.Policy.compile(statements)), expected, what);
      assert.deepEqual(thrown(() => tg.Policy.compile(statements, ATTRIBUTES)), thrown(() => tg.evaluate(statements, "viewProject", "proj/x", ATTRIBUTES)), `${what} with options`);
    }
    assert.ok(refusedCount >= bad.length - 1, "evaluate refuses them (all but perhaps the missing role attribute)");
    // Arguments are read as JSON.stringify writes them, so a boxed string is its string, in both.
    const boxed = [{ effect: new String("allow"), resources: ["*"], actions: ["*"] }];
    assert.equal(tg.Policy.compile(boxed).can("viewProject", "proj/x"), true);
    assert.equal(tg.evaluate(boxed, "viewProject", "proj/x").allowed, true);
    for (const options of [5, "x", { roleAttributes: 5 }]) {
      const error = thrown(() => tg.Policy.compile(POLICY, options));
      assert.deepEqual([error?.class, error?.code], ["TypeError", "invalid_argument"], JSON.stringify(options));
    }
    // Arguments of the wrong type, as evaluate refuses them.
    const policy = tg.Policy.compile(POLICY);
    for (const [action, resource] of [[7, "proj/x"], ["a", null], [null, undefined], ["*", 3]]) {
      const expected = thrown(() => tg.evaluate(POLICY, action, resource));
      assert.deepEqual(thrown(() => policy.evaluate(action, resource)), expected, `${action} on ${resource}`);
      assert.deepEqual(thrown(() => policy.can(action, resource)), expected, `${action} on ${resource}`);
    }
    policy.free();
  });

  test(`${name}: a freed Policy throws a TypeError with code "freed", answered before or not`, () => {
    const policy = tg.Policy.compile(POLICY);
    assert.equal(policy.can("viewProject", "proj/mobile"), true);
    assert.equal(policy.evaluate("viewProject", "proj/mobile").allowed, true);
    policy.free();
    for (const call of [() => policy.can("viewProject", "proj/mobile"), () => policy.evaluate("viewProject", "proj/mobile"),
      () => policy.can("viewProject", "proj/web")]) {
      assert.throws(call, (error) => error instanceof TypeError && error.code === "freed" && /^Policy\./.test(error.message));
    }
    policy.free();
    if (typeof Symbol.dispose === "symbol") {
      const disposed = tg.Policy.compile(POLICY);
      assert.equal(disposed.can("viewProject", "proj/mobile"), true);
      disposed[Symbol.dispose]();
      disposed[Symbol.dispose]();
      assert.throws(() => disposed.can("viewProject", "proj/mobile"), (error) => error instanceof TypeError && error.code === "freed");
    }
  });
}
