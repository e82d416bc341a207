// The built package as a user gets it: `import ... from "tokengate"` (Node ESM), `require("tokengate")`
// (CommonJS), "tokengate/web" with an explicit init, the browser/bundler entry, and the package.json
// exports map. Offline: no server needed.
//
//   scripts/build-pkg.sh && node --test tests/js/

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PKG_DIR, linkPackage } from "../support/js/package.mjs";
import { assertPlain, posted } from "../support/js/plain.mjs";

linkPackage(new URL(".", import.meta.url));
const esm = await import("tokengate");
const require = createRequire(import.meta.url);
const cjs = require("tokengate");

const POLICY = [
  { effect: "allow", resources: ["proj/*:env/*:flag/*"], actions: ["*"] },
  { effect: "deny", resources: ["proj/*:env/production:flag/*"], actions: ["deleteFlag"] },
  // Acting on anything in a project needs viewing the project.
  { effect: "allow", resources: ["proj/*"], actions: ["viewProject"] },
];
const PUBLIC = ["ApiError", "Policy", "PolicyError", "Principal", "TokensClient", "auditTokens", "comparePolicies", "evaluate", "parseResource", "validatePolicy"];
/** Names that are not the package's API: wasm-bindgen's own (`__wrap`, `__destroy_into_raw`), TypeScript's CommonJS
 * marker (`__esModule`), or internal ones. */
const isInternal = (key) => typeof key === "string" && key.startsWith("__");
/** The internal names on a class, its prototype or one of its objects, but for wasm-bindgen's own. */
function internalNames(value) {
  return Reflect.ownKeys(value).filter((key) => isInternal(key) && !["__wrap", "__destroy_into_raw", "__wbg_ptr", "__esModule"].includes(key));
}

test("ESM and CommonJS expose the same public API, and nothing internal", () => {
  assert.deepEqual(Object.keys(esm).sort(), PUBLIC);
  assert.deepEqual(Object.keys(cjs).sort(), PUBLIC);
});

/** Checks that `e` is the package's `TypeError` for a wrong argument, with `message`. */
function isArgumentError(e, message) {
  assert.ok(e instanceof TypeError, `a TypeError: ${e}`);
  assert.equal(e.code, "invalid_argument");
  if (message !== undefined) assert.equal(e.message, message);
  return true;
}

for (const [name, t] of [["esm", esm], ["cjs", cjs]]) {
  test(`${name}: evaluate, validatePolicy, parseResource`, () => {
    const allow = t.evaluate(POLICY, "updateOn", "proj/a:env/test:flag/f");
    assert.equal(allow.allowed, true);
    assert.equal(allow.effect, "allow");
    const deny = t.evaluate(POLICY, "deleteFlag", "proj/a:env/production:flag/f");
    assert.equal(deny.effect, "deny");
    assert.ok(deny.matched.some((m) => m.effect === "deny" && m.statement === 1));
    assert.deepEqual(t.validatePolicy(POLICY).filter((d) => d.severity === "error"), []);
    const bad = t.validatePolicy([{ effect: "allow", resources: [] }]);
    assert.ok(bad.some((d) => d.severity === "error" && d.path.startsWith("/0")));
    assert.deepEqual(t.parseResource("proj/x;beta:env/*;{critical:true}:flag/*;view:web"), [
      { type: "proj", name: "x", tags: ["beta"], properties: [], views: [] },
      { type: "env", name: "*", tags: [], properties: [{ key: "critical", value: "true" }], views: [] },
      { type: "flag", name: "*", tags: [], properties: [], views: ["web"] },
    ]);
    // What the resource leaves out is named, never guessed; viewing is required to modify.
    const critical = [
      { effect: "allow", resources: ["proj/*"], actions: ["viewProject"] },
      { effect: "allow", resources: ["proj/*:env/*;{critical:true}:flag/*"], actions: ["*"] },
    ];
    const unsure = t.evaluate(critical, "updateOn", "proj/a:env/production:flag/f");
    assert.equal(unsure.indeterminate, true);
    assert.deepEqual(unsure.missingFacts, ['property "critical" of proj/a:env/production']);
    const blind = t.evaluate(POLICY.slice(0, 2), "updateOn", "proj/a:env/test:flag/f");
    assert.deepEqual([blind.allowed, blind.viewRequired], [false, "proj/a"]);
  });

  test(`${name}: comparePolicies names what a change grants and revokes, each with a witness evaluate confirms`, () => {
    const before = [
      { effect: "allow", actions: ["*"], resources: ["proj/*"] },
      { effect: "allow", actions: ["updateOn"], resources: ["proj/*:env/*:flag/*"] },
    ];
    const after = [...before, { effect: "deny", actions: ["updateOn"], resources: ["proj/*:env/production:flag/*"] }];
    const change = t.comparePolicies(before, after);
    assert.equal(change.equivalent, false);
    assert.equal(change.granted.total, 0, "adding a deny never grants");
    assert.ok(change.revoked.total >= 1);
    for (const w of change.revoked.witnesses) {
      assert.equal(t.evaluate(before, w.action, w.resource).allowed, true, `${w.action} on ${w.resource} before`);
      assert.equal(t.evaluate(after, w.action, w.resource).allowed, false, `${w.action} on ${w.resource} after`);
      assert.equal(w.after.allowed, false);
    }
    assert.ok(change.revoked.witnesses.some((w) => w.action === "updateOn" && /env\/production/.test(w.resource)));
    const back = t.comparePolicies(after, before, { limit: 1 });
    assert.equal(back.granted.total, change.revoked.total, "what a change revokes, undoing it grants");
    assert.ok(back.granted.witnesses.length <= 1);
    assert.equal(t.comparePolicies(before, [...before].reverse()).equivalent, true, "order does not matter");
    assert.deepEqual(structuredClone(change), change, "plain data");
    assert.throws(() => t.comparePolicies(before, 42), (e) => isArgumentError(e, "after must be an array of statements"));
    assert.throws(() => t.comparePolicies(before, [{ effect: "allow" }]), (e) => e instanceof t.PolicyError && e.code === "invalid_policy");
    // A side may be a custom role: its policy with what its basePermissions add ("reader" adds viewing).
    const role = (basePermissions) => ({
      _id: "r1", key: "flags", name: "Flags", basePermissions,
      policy: [{ effect: "allow", actions: ["updateOn"], resources: ["proj/*:env/*:flag/*"] }],
    });
    const dropped = t.comparePolicies(role("reader"), role("no_access"));
    assert.equal(dropped.granted.total, 0);
    assert.ok(dropped.revoked.witnesses.some((w) => w.action === "viewProject"), "reader base permissions view projects");
    assert.equal(t.comparePolicies(role("no_access"), role("no_access").policy).equivalent, true);
    assert.throws(() => t.comparePolicies({ policy: 7 }, before), (e) => isArgumentError(e) && /^before must be an array of statements or a custom role: /.test(e.message));
  });

  test(`${name}: errors are Error subclasses with codes, and never traps`, () => {
    assert.throws(() => t.parseResource("proj/x:"), (e) => {
      assert.ok(e instanceof Error && e instanceof t.PolicyError);
      assert.equal(e.name, "PolicyError");
      assert.equal(typeof e.code, "string");
      assert.ok(e.span.start <= e.span.end);
      return true;
    });
    // What the engine refuses is a PolicyError; an argument of the wrong type is a TypeError naming it.
    assert.throws(() => t.evaluate([{ effect: "allow" }], "a", "proj/x"), (e) => e instanceof t.PolicyError && e.code === "invalid_policy");
    assert.throws(() => t.evaluate(42, "a", "b"), (e) => isArgumentError(e, "statements must be an array of statements"));
    assert.throws(() => t.evaluate("nope", "a", "proj/x"), (e) => isArgumentError(e, "statements must be an array of statements"));
    assert.throws(() => t.evaluate({ 0: POLICY[0], length: 1 }, "a", "proj/x"), (e) => isArgumentError(e));
    assert.throws(() => t.evaluate([], 7, "proj/x"), (e) => isArgumentError(e, "action must be a string"));
    assert.throws(() => t.evaluate([], "a", null), (e) => isArgumentError(e, "resource must be a string"));
    assert.throws(() => t.evaluate([], "a", "proj/x", 5), (e) => isArgumentError(e));
    assert.throws(() => t.parseResource(5), (e) => isArgumentError(e, "specifier must be a string"));
    assert.throws(() => t.Principal.fromToken(42), (e) => isArgumentError(e) && /^token /.test(e.message));
    assert.ok(!(new TypeError("x") instanceof t.PolicyError));
    assert.throws(() => new t.TokensClient({}), (e) => {
      assert.ok(e instanceof Error && e instanceof t.ApiError);
      assert.equal(e.code, "invalid_argument");
      assert.equal(e.status, 0);
      return true;
    });
    const secret = "api-3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
    assert.throws(() => new t.TokensClient({ token: secret, baseUrl: "nowhere" }), (e) => !e.message.includes(secret));
    assert.throws(() => new t.TokensClient({ token: `${secret}\n` }), (e) => !e.message.includes(secret));
    // Odd values of every kind go in; typed errors come out.
    for (const odd of [undefined, null, 0, "", [], {}, Symbol("s"), () => 1, 10n]) {
      assert.throws(() => t.evaluate(odd, odd, odd), (e) => isArgumentError(e));
      assert.ok(Array.isArray(t.validatePolicy(odd)));
    }
  });

  test(`${name}: Principal.fromToken`, () => {
    const member = { _id: "m1", role: "writer", email: "w@example.com", _links: {} };
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m1", name: "t", creationDate: 1, lastModified: 1, role: "admin", _links: {} };
    const p = t.Principal.fromToken(token, { member, roles: [] });
    assert.equal(p.isAdmin, false);
    assert.equal(p.can("updateOn", "proj/a:env/b:flag/c").allowed, true);
    assert.equal(p.can("deleteAccessToken", "member/m1:token/x").allowed, true);
    assert.equal(p.can("deleteAccessToken", "member/m2:token/x").allowed, false);
    assert.equal(p.can("deleteAccessToken", "member/m2:token/x").allowed, false, "remembered answers agree");
    const other = { ...token, _id: "b".repeat(24), memberId: "m2", role: "reader" };
    assert.equal(p.canSee(other), false);
    assert.deepEqual(p.visible([token, other]), [token]);
    assert.deepEqual(p.permittedActions(token).sort(), [
      "deleteAccessToken", "resetAccessToken", "updateAccessTokenDescription", "updateAccessTokenName", "updateAccessTokenPolicy",
    ]);
    const patch = p.checkPatch(token, [{ op: "replace", path: "/name", value: "n" }, { op: "replace", path: "/role", value: "reader" }]);
    assert.equal(patch.allowed, true);
    assert.deepEqual(patch.checks.map((c) => c.action).sort(), ["updateAccessTokenName", "updateAccessTokenPolicy"]);
    // The token's own permissions before and after, compared: what the change grants and revokes.
    assert.ok(patch.preview, "a change of permissions carries a preview");
    assert.equal(patch.preview.granted.total, 0);
    assert.ok(patch.preview.revoked.total >= 1);
    for (const w of patch.preview.revoked.witnesses) assert.equal(w.after.allowed, false);
    assert.equal(p.checkPatch(token, [{ op: "replace", path: "/name", value: "n" }]).preview, undefined, "a rename changes no permissions");
    assert.equal(p.checkPatch(token, [{ op: "replace", path: "/_id", value: "x" }]).allowed, false, "unpatchable path");
    const absent = p.checkPatch(token, [{ op: "remove", path: "/description" }]);
    assert.equal(absent.allowed, false, "permitted, but the patch does not apply (patch_failed)");
    assert.match(absent.reason, /patch_failed/);
    assert.equal(p.checkCreate({ role: "admin" }).allowed, false, "a writer cannot create an admin token");
    assert.equal(p.checkCreate({ role: "writer" }).allowed, true);
  });

  test(`${name}: checks carry guards; compare, lockout and auditTokens say what a change does`, () => {
    const member = { _id: "m1", role: "writer", email: "w@example.com", _links: {} };
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m1", name: "t", creationDate: 1, lastModified: 1, role: "admin", _links: {} };
    const p = t.Principal.fromToken(token, { member, roles: [] });
    // The calling token lowers itself to reader: it loses the management of its member's tokens.
    const self = p.checkPatch(token, [{ op: "replace", path: "/role", value: "reader" }]);
    assert.ok(self.guards.lockout.total >= 1);
    for (const w of self.guards.lockout.witnesses) {
      assert.match(w.resource, /^member\/m1:token\//);
      assert.deepEqual([w.before.allowed, w.after.allowed], [true, false]);
    }
    assert.equal(self.guards.escalation.total, 0, "a reader token asks nothing beyond a writer");
    // An admin token asks for what a writer member does not have; the create is refused, and the guard says what
    // such a token would be refused at use.
    const create = p.checkCreate({ role: "admin", serviceToken: true });
    assert.equal(create.guards.lockout, null);
    assert.ok(create.guards.escalation.total >= 1);
    for (const w of create.guards.escalation.witnesses) assert.deepEqual([w.before.allowed, w.after.allowed], [false, true]);
    assert.deepEqual(structuredClone(create), create, "plain data");
    // What a reader token made by this caller could do: view projects, nothing it would be refused.
    const reader = p.checkCreate({ role: "reader" });
    assert.equal(reader.preview.revoked.total, 0);
    assert.ok(reader.preview.granted.witnesses.some((w) => w.action === "viewProject"));
    for (const w of reader.preview.granted.witnesses) assert.deepEqual([w.before.allowed, w.after.allowed], [false, true]);
    assert.equal(reader.guards.escalation.total, 0);
    // What a downgrade of the creator would take away; the same principal compares equal to itself.
    const down = p.compare({ member: { ...member, role: "reader" } }, { limit: 3 });
    assert.equal(down.granted.total, 0);
    assert.ok(down.revoked.total >= 1 && down.revoked.witnesses.length <= 3);
    assert.equal(p.compare({}).equivalent, true);
    const unknown = p.compare({ member: null });
    assert.deepEqual(unknown.missing, ["member/m1"], "an unknown creator is named, not guessed");
    // A reader member still manages its own personal tokens (spec §4's table); a member with no access does not.
    assert.equal(p.lockout({ member: { ...member, role: "reader" } }).revoked.total, 0);
    assert.ok(p.lockout({ member: { ...member, role: "no_access" } }).revoked.total >= 1);
    assert.throws(() => p.compare(42), (e) => isArgumentError(e));
    assert.throws(() => p.compare({}, { limit: 5000 }), (e) => isArgumentError(e, "limit must be at most 1000"));
    // The audit: the admin token made by a writer can do what its creator cannot; idle days from lastUsed.
    const day = 86_400_000;
    const audit = t.auditTokens([{ ...token, lastUsed: 10 * day }, { ...token, _id: "c".repeat(24), memberId: "gone" }], {
      members: [member], now: 12 * day + 5,
    });
    assert.ok(audit[0].beyondCreator.total >= 1);
    assert.equal(audit[0].idleDays, 2);
    assert.equal(audit[1].beyondCreator, null);
    assert.match(audit[1].unchecked, /gone/);
    assert.deepEqual(structuredClone(audit), audit, "plain data");
    assert.throws(() => t.auditTokens(5), (e) => isArgumentError(e));
  });

  test(`${name}: Principal.can answers a plain verdict, explain the whole Decision`, async () => {
    const member = { _id: "m1", role: "admin", email: "a@example.com", _links: {} };
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m1", creationDate: 1, lastModified: 1, inlineRole: POLICY, _links: {} };
    const p = t.Principal.fromToken(token, { member, roles: [] });
    const cases = [
      ["updateOn", "proj/a:env/test:flag/f"],
      ["deleteFlag", "proj/a:env/production:flag/f"],
      ["updateOn", "proj/a:env/test"],
      ["deleteFlag", "proj/a:env/test:flag/f"],
    ];
    for (const [action, resource] of cases) {
      const alone = t.evaluate(POLICY, action, resource);
      const v = p.can(action, resource);
      assert.deepEqual(v, { allowed: alone.allowed, effect: alone.effect, indeterminate: false }, `${action} ${resource}`);
      const d = p.explain(action, resource);
      assert.deepEqual([d.allowed, d.effect, d.indeterminate], [v.allowed, v.effect, v.indeterminate]);
      // The inline policy's statements, then the admin creator's cap where it matched.
      assert.deepEqual(d.matched.filter((m) => m.role.kind === "inlineRole").map((m) => [m.statement, m.effect]),
        alone.matched.map((m) => [m.statement, m.effect]));
      assert.match(d.reason, /inline policy/);
      assert.deepEqual(d.missingRoles, []);
    }

    const verdict = p.can("deleteFlag", "proj/a:env/production:flag/f");
    assert.deepEqual(Object.keys(verdict), ["allowed", "effect", "indeterminate"]);
    assertPlain(verdict);
    const deny = p.explain("deleteFlag", "proj/a:env/production:flag/f");
    assert.deepEqual(Object.keys(deny), ["allowed", "effect", "indeterminate", "matched", "reason", "summary", "decidedBy", "missingRoles", "missingFacts"]);
    assertPlain(deny);
    assert.equal(deny.effect, "deny");
    // At a glance: one line, and the layer, role and statement that decided.
    assert.equal(deny.summary, "Denied by inline policy, statement 1");
    assert.equal(deny.decidedBy.layer, "tokenRoles");
    assert.equal(deny.decidedBy.statement, 1);
    assert.match(deny.reason, /denied by statement 1 of inline policy/);
    assert.equal(deny.matched.find((m) => m.effect === "deny").statement, 1);
    // Both travel as they are: spread, JSON, structuredClone and postMessage give equal copies.
    for (const value of [verdict, deny]) {
      assert.deepEqual({ ...value }, value, "spreading");
      assert.deepEqual(JSON.parse(JSON.stringify(value)), value, "JSON");
      assert.deepEqual(structuredClone(value), value, "structuredClone");
      assert.deepEqual(await posted(value), value, "postMessage");
    }
    const blind = t.Principal.fromToken({ ...token, inlineRole: POLICY.slice(0, 2) }, { member, roles: [] });
    const refused = blind.explain("updateOn", "proj/a:env/test:flag/f");
    assert.deepEqual([refused.allowed, refused.viewRequired], [false, "proj/a"]);
    assert.deepEqual(structuredClone(refused), refused, "with viewRequired too");

    // Without the creator nothing is certain: indeterminate, and the explanation names what is missing.
    const unsure = t.Principal.fromToken(token);
    assert.deepEqual(unsure.can("updateOn", "proj/a:env/test:flag/f"), { allowed: false, effect: "default-deny", indeterminate: true });
    const why = unsure.explain("updateOn", "proj/a:env/test:flag/f");
    assert.deepEqual([why.allowed, why.effect, why.indeterminate], [false, "default-deny", true]);
    assert.deepEqual(why.missingRoles, ["member/m1"]);
    assert.match(why.reason, /cannot be told/);

    // The package forgets the answers it remembered now and then; they stay the same.
    for (let i = 0; i < 1500; i++) assert.equal(p.can("updateOn", `proj/a:env/test:flag/f${i}`).allowed, true);
    assert.equal(p.can("deleteFlag", "proj/a:env/production:flag/f").effect, "deny", "answers after forgetting agree");

    for (const method of ["can", "explain"]) {
      assert.throws(() => p[method](1, "x"), (e) => isArgumentError(e, "action must be a string"));
      assert.throws(() => p[method]("x", undefined), (e) => isArgumentError(e, "resource must be a string"));
      assert.throws(() => p[method](null, null), (e) => isArgumentError(e, "action must be a string"));
      assert.throws(() => p[method]("x", {}), (e) => isArgumentError(e, "resource must be a string"));
      assert.throws(() => p[method]("x", "proj/a:"), (e) => e instanceof t.PolicyError && e.code !== "invalid_argument" && e.span !== undefined);
    }
    assert.equal(p.can("updateOn", "proj/a:env/b:flag/c").allowed, true, "a refused resource leaves the principal usable");

    // Repeated questions are answered from what the principal was told, a fresh object each time; once it is
    // freed, it answers nothing, remembered or not.
    const again = p.can("deleteFlag", "proj/a:env/production:flag/f");
    assert.notEqual(again, p.can("deleteFlag", "proj/a:env/production:flag/f"), "a fresh object each time");
    again.allowed = true;
    assert.equal(p.can("deleteFlag", "proj/a:env/production:flag/f").allowed, false, "a changed answer changes nothing");
    const freed = t.Principal.fromToken(token, { member, roles: [] });
    for (let i = 0; i < 3; i++) assert.equal(freed.can("updateOn", "proj/a:env/test:flag/f").allowed, true);
    freed.free();
    assert.throws(() => freed.can("updateOn", "proj/a:env/test:flag/f"), "a freed principal's remembered answer");
    assert.throws(() => freed.explain("updateOn", "proj/a:env/test:flag/f"));
    if (Symbol.dispose) {
      const disposed = t.Principal.fromToken(token, { member, roles: [] });
      for (let i = 0; i < 3; i++) disposed.can("updateOn", "proj/a:env/test:flag/f");
      disposed[Symbol.dispose]();
      assert.throws(() => disposed.can("updateOn", "proj/a:env/test:flag/f"), "a disposed principal's remembered answer");
    }
  });

  test(`${name}: every answer is plain data`, async () => {
    const member = { _id: "m1", role: "writer", email: "w@example.com", _links: {} };
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m1", name: "t", creationDate: 1, lastModified: 1, role: "admin", _links: {} };
    const p = t.Principal.fromToken(token, { member, roles: [] });
    const answers = {
      evaluate: t.evaluate(POLICY, "deleteFlag", "proj/a:env/production:flag/f"),
      validatePolicy: t.validatePolicy([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }, { effect: "maybe" }]),
      parseResource: t.parseResource("proj/x;beta:env/*;{critical:true}:flag/*;view:web"),
      can: p.can("updateOn", "proj/a:env/b:flag/c"),
      explain: p.explain("updateOn", "proj/a:env/b:flag/c"),
      see: p.see(token),
      permittedActions: p.permittedActions(token),
      checkAction: p.checkAction(token, "deleteAccessToken"),
      checkPatch: p.checkPatch(token, [{ op: "replace", path: "/name", value: "n" }, { op: "replace", path: "/role", value: "reader" }]),
      checkCreate: p.checkCreate({ role: "admin" }),
    };
    for (const [call, answer] of Object.entries(answers)) {
      assertPlain(answer, call);
      assert.deepEqual(structuredClone(answer), answer, `${call}: structuredClone`);
      assert.deepEqual(await posted(answer), answer, `${call}: postMessage`);
    }
  });

  test(`${name}: evaluate reads the statements on every call and keeps nothing`, () => {
    // Each answer is a fresh object, and an array changed in place answers for what it now says.
    const policy = POLICY.map((s) => ({ ...s }));
    const first = t.evaluate(policy, "deleteFlag", "proj/a:env/production:flag/f");
    const again = t.evaluate(policy, "deleteFlag", "proj/a:env/production:flag/f");
    assert.deepEqual(again, first);
    assert.notEqual(again, first);
    again.matched[0].body.resources.push("changed");
    again.reason = "changed";
    assert.deepEqual(t.evaluate(policy, "deleteFlag", "proj/a:env/production:flag/f"), first);
    policy[1] = { ...policy[1], actions: ["updateOn"] };
    assert.equal(t.evaluate(policy, "deleteFlag", "proj/a:env/production:flag/f").effect, "allow");
    policy[1].actions.push("deleteFlag");
    assert.equal(t.evaluate(policy, "deleteFlag", "proj/a:env/production:flag/f").effect, "deny");
    policy.length = 0;
    assert.equal(t.evaluate(policy, "deleteFlag", "proj/a:env/production:flag/f").effect, "default-deny");
    const invalid = [{ effect: "allow", resources: [], actions: ["*"] }, { effect: "maybe", resources: ["*"], actions: ["*"] }];
    for (let i = 0; i < 2; i++) {
      assert.throws(() => t.evaluate(invalid, "x", "proj/a"), (e) => e instanceof t.PolicyError && e.code === "invalid_policy" && e.diagnostics.length > 0);
    }
    // Values that are not plain statements are read by the module itself, with its errors.
    const strange = [
      [{ effect: new String("allow"), resources: ["*"], actions: ["*"] }],
      [{ effect: "allow", resources: ["*"], actions: ["*"], toJSON: () => [] }],
      [{ effect: "allow", resources: ["*"], actions: ["*"], notes: 5 }],
      [{ effect: "allow", resources: [, "*"], actions: ["*"] }],
      [{ effect: "allow", resources: ["proj/\ud800"], actions: ["*"] }],
      [{ effect: "allow", get resources() { throw new Error("no"); }, actions: ["*"] }],
      [{ effect: "allow", resources: ["proj/é😀"], actions: ["*"] }],
    ];
    for (const statements of strange) {
      let expected;
      try {
        expected = t.evaluate(statements, "x", "proj/é😀", { roleAttributes: {} });
      } catch (e) {
        expected = e;
      }
      for (let i = 0; i < 2; i++) {
        let actual;
        try {
          actual = t.evaluate(statements, "x", "proj/é😀");
        } catch (e) {
          actual = e;
        }
        assert.equal(actual.constructor, expected.constructor);
        assert.deepEqual({ ...actual, message: actual.message }, { ...expected, message: expected.message });
      }
    }
  });

  test(`${name}: explain hands out a fresh copy of what it worked out`, () => {
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m1", creationDate: 1, lastModified: 1, inlineRole: POLICY, _links: {} };
    const member = { _id: "m1", role: "admin", email: "a@example.com", _links: {} };
    const p = t.Principal.fromToken(token, { member, roles: [] });
    const first = p.explain("deleteFlag", "proj/a:env/production:flag/f");
    first.matched.length = 0;
    first.missingRoles.push("x");
    const again = p.explain("deleteFlag", "proj/a:env/production:flag/f");
    assert.equal(again.effect, "deny");
    assert.ok(again.matched.length > 0);
    assert.deepEqual(again.missingRoles, []);
    assert.deepEqual(p.explain("deleteFlag", "proj/a:env/production:flag/f"), again);
    // Many resources, past what the package remembers: the answers stay right.
    for (let i = 0; i < 1500; i++) {
      const resource = `proj/a:env/${i % 3 ? "test" : "production"}:flag/f${i}`;
      const verdict = p.can("deleteFlag", resource);
      assert.equal(verdict.effect, i % 3 ? "allow" : "deny", resource);
      if (i % 7 === 0) assert.equal(p.explain("deleteFlag", resource).effect, verdict.effect, resource);
    }
    assert.throws(() => p.can("deleteFlag", "proj/a:"), t.PolicyError);
    assert.throws(() => p.explain("deleteFlag", "proj/a:"), t.PolicyError);
  });

  test(`${name}: nothing internal is reachable from a principal or a policy`, () => {
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m1", creationDate: 1, lastModified: 1, role: "admin", _links: {} };
    const p = t.Principal.fromToken(token);
    const before = Reflect.ownKeys(p);
    p.can("viewProject", "proj/a");
    p.explain("viewProject", "proj/a");
    assert.deepEqual(Reflect.ownKeys(p), before, "asking puts nothing on the principal");
    assert.deepEqual(Object.getOwnPropertySymbols(p), []);
    const policy = t.Policy.compile(POLICY);
    policy.can("viewProject", "proj/a");
    policy.evaluate("viewProject", "proj/a");
    for (const [what, value] of [["a principal", p], ["Principal.prototype", t.Principal.prototype], ["Principal", t.Principal],
      ["a policy", policy], ["Policy.prototype", t.Policy.prototype], ["Policy", t.Policy], ["the module", t]]) {
      assert.deepEqual(internalNames(value), [], what);
    }
    assert.deepEqual(Object.getOwnPropertySymbols(policy), []);
    policy.free();
    assert.equal(typeof t.Principal.prototype.can, "function");
    assert.equal(typeof t.Principal.prototype.explain, "function");
  });
}

test("an ApiError from one copy of the package is an ApiError of the other", () => {
  let fromCjs;
  try {
    new cjs.TokensClient({});
  } catch (e) {
    fromCjs = e;
  }
  assert.ok(fromCjs instanceof esm.ApiError);
  assert.ok(!(fromCjs instanceof esm.PolicyError));
  assert.ok(!(new Error("plain") instanceof esm.ApiError));
  class Mine extends esm.ApiError {}
  assert.ok(!(fromCjs instanceof Mine), "subclasses keep ordinary instanceof");
});

test("tokengate/web initialises explicitly", async () => {
  const web = await import("tokengate/web");
  const bytes = readFileSync(path.join(PKG_DIR, "tokengate_bg.wasm"));
  await web.default({ module_or_path: bytes });
  await web.default({ module_or_path: bytes });
  assert.deepEqual(Object.keys(web).sort(), [...PUBLIC, "default", "initSync"].sort());
  assert.equal(web.evaluate(POLICY, "updateOn", "proj/a:env/b:flag/c").allowed, true);
  assert.throws(() => web.parseResource(""), web.PolicyError);
  // Initialising again completes the class once: it still answers, and its internals stay out of reach.
  const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m1", creationDate: 1, lastModified: 1, role: "admin", _links: {} };
  const p = web.Principal.fromToken(token);
  assert.deepEqual(p.can("viewProject", "proj/a"), { allowed: false, effect: "default-deny", indeterminate: true });
  assert.equal(p.explain("viewProject", "proj/a").indeterminate, true);
  assert.deepEqual(internalNames(web.Principal.prototype), []);
  assert.equal(web.Policy.compile(POLICY).can("updateOn", "proj/a:env/b:flag/c"), true);
});

test("the browser/bundler entry works with its module inlined, without fetching anything", async () => {
  const browser = await import(path.join(PKG_DIR, "browser.mjs"));
  assert.deepEqual(Object.keys(browser).sort(), PUBLIC);
  assert.equal(browser.evaluate(POLICY, "updateOn", "proj/a:env/b:flag/c").allowed, true);
  assert.throws(() => new browser.TokensClient({ token: "" }), browser.ApiError);
});

test("the exports map sends each environment to its entry", () => {
  const pkg = JSON.parse(readFileSync(path.join(PKG_DIR, "package.json"), "utf8"));
  const root = pkg.exports["."];
  assert.equal(Object.keys(root)[0], "types", "types first");
  assert.equal(root.workerd, "./workerd.mjs");
  assert.equal(root.node.require, "./index.cjs");
  assert.equal(root.node.default, "./index.mjs");
  assert.equal(root.browser, "./browser.mjs");
  assert.equal(pkg.exports["./web"].default, "./web.mjs");
  const resolve = (conditions, specifier) =>
    execFileSync(process.execPath, [...conditions.flatMap((c) => ["-C", c]), "--input-type=module", "-e",
      `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`], { cwd: fileURLToPath(new URL(".", import.meta.url)) })
      .toString().trim();
  assert.match(resolve([], "tokengate"), /\/index\.mjs$/);
  assert.match(resolve(["workerd"], "tokengate"), /\/workerd\.mjs$/);
  assert.match(resolve(["browser"], "tokengate"), /\/index\.mjs$/, "node wins over browser in Node");
  assert.match(resolve([], "tokengate/web"), /\/web\.mjs$/);
  assert.equal(require.resolve("tokengate").endsWith("index.cjs"), true);
});
