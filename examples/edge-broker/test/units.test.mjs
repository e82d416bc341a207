// The broker's pure parts in plain Node, with a stand-in Principal: routing, the snapshot cache, the refusal
// rules and redaction. The workerd suite (broker.test.mjs) covers the same paths end to end with the real package.

import { test } from "node:test";
import assert from "node:assert/strict";
import { classify } from "../lib/routes.mjs";
import { Snapshot, SnapshotCache } from "../lib/snapshot.mjs";
import { refusalFor, tokenResource } from "../lib/edge-check.mjs";
import { obfuscate, redact, withoutSecret } from "../lib/redact.mjs";

const ME = "m0000000000000000000000a";
const service = { _id: "a".repeat(24), memberId: "m0000000000000000000000b", serviceToken: true };
const mine = { _id: "b".repeat(24), memberId: ME, serviceToken: false };
const theirs = { _id: "c".repeat(24), memberId: "m0000000000000000000000c", serviceToken: false };

/** A principal that sees service tokens and its member's own, and may manage only its own personal tokens. Its
 * `checkPatch` and `checkCreate` refuse to run an analysis: the edge must ask for the decision alone. */
const principal = {
  canSee: (t) => t.serviceToken || t.memberId === ME,
  see: (t) => ({ allowed: t.serviceToken || t.memberId === ME, effect: "default-deny", matched: [], reason: `another member's personal token (${t.memberId})` }),
  checkAction: (t, action) => ({
    allowed: t.memberId === ME && !t.serviceToken,
    effect: "default-deny",
    matched: [],
    reason: `no statement allows ${action} on ${tokenResource(t)}`,
  }),
  checkPatch: (t, ops, options) => decisionOnly("checkPatch", options) && ({
    allowed: t.memberId === ME,
    reason: "patch needs updateAccessTokenName",
    checks: ops.map((o) => ({ action: "updateAccessTokenName", resource: tokenResource(t), allowed: t.memberId === ME })),
  }),
  checkCreate: (body, options) => decisionOnly("checkCreate", options) && (body.role === "admin" ? { allowed: false, reason: "asks more than the member's reader role" } : body.customRoleIds ? { allowed: false, indeterminate: true, reason: "role unknown" } : { allowed: true, reason: "ok" }),
};

/** Throws unless `options` asks for the decision without the preview and guards (comparisons of policies). */
function decisionOnly(name, options) {
  if (options?.analyse !== false) throw new Error(`${name} was asked for its analysis, which the edge must not run`);
  return true;
}

const snapshot = () => new Snapshot(principal, [service, mine, theirs], 0, 30_000);

test("routes: token and identity endpoints, 404 elsewhere, 405 for other methods", () => {
  assert.deepEqual(classify("GET", "/api/v2/tokens"), { status: "ok", operation: "list" });
  assert.deepEqual(classify("POST", "/api/v2/tokens"), { status: "ok", operation: "create" });
  assert.deepEqual(classify("PATCH", "/api/v2/tokens/abc"), { status: "ok", operation: "update", tokenId: "abc" });
  assert.deepEqual(classify("POST", "/api/v2/tokens/abc/reset"), { status: "ok", operation: "reset", tokenId: "abc" });
  assert.deepEqual(classify("GET", "/api/v2/tokens/a%2Fb"), { status: "ok", operation: "get", tokenId: "a/b" });
  assert.deepEqual(classify("GET", "/api/v2/tokens/%E0%A4%A"), { status: "ok", operation: "get", tokenId: "%E0%A4%A" });
  assert.equal(classify("GET", "/api/v2/members/x").operation, "getMember");
  assert.equal(classify("GET", "/api/v2/flags/x").status, "not_found");
  assert.equal(classify("GET", "/api/v2/tokens/a/b").status, "not_found");
  assert.deepEqual(classify("PUT", "/api/v2/tokens/abc"), { status: "method_not_allowed", allow: ["GET", "PATCH", "DELETE"] });
});

test("refusals: visibility is 404, management without permission is 403, allowed calls forward", () => {
  const s = snapshot();
  const hidden = refusalFor(s, { operation: "get", tokenId: theirs._id }, undefined, 0);
  assert.equal(hidden.status, 404);
  assert.match(hidden.reason, /another member's personal token/);
  assert.equal(refusalFor(s, { operation: "delete", tokenId: theirs._id }, undefined, 0).status, 404);
  assert.equal(refusalFor(s, { operation: "get", tokenId: service._id }, undefined, 0), null);
  const del = refusalFor(s, { operation: "delete", tokenId: service._id }, undefined, 0);
  assert.equal(del.status, 403);
  assert.equal(del.code, "forbidden");
  assert.match(del.reason, /deleteAccessToken on service-token\/a+/);
  assert.equal(refusalFor(s, { operation: "reset", tokenId: service._id }, undefined, 0).status, 403);
  assert.equal(refusalFor(s, { operation: "delete", tokenId: mine._id }, undefined, 0), null);
  assert.equal(refusalFor(s, { operation: "reset", tokenId: mine._id }, undefined, 0), null);
});

test("refusals: patches in either shape; unparsable bodies go upstream", () => {
  const s = snapshot();
  const ops = [{ op: "replace", path: "/name", value: "x" }];
  const bare = refusalFor(s, { operation: "update", tokenId: service._id }, ops, 0);
  assert.equal(bare.status, 403);
  assert.equal(bare.checks.length, 1);
  assert.equal(refusalFor(s, { operation: "update", tokenId: service._id }, { comment: "c", patch: ops }, 0).status, 403);
  assert.equal(refusalFor(s, { operation: "update", tokenId: mine._id }, ops, 0), null);
  assert.equal(refusalFor(s, { operation: "update", tokenId: service._id }, undefined, 0), null);
  assert.equal(refusalFor(s, { operation: "update", tokenId: service._id }, { nope: 1 }, 0), null);
});

test("refusals: creates beyond the cap are 403, indeterminate ones and odd bodies forward", () => {
  const s = snapshot();
  assert.equal(refusalFor(s, { operation: "create" }, { role: "admin" }, 0).status, 403);
  assert.equal(refusalFor(s, { operation: "create" }, { role: "reader" }, 0), null);
  assert.equal(refusalFor(s, { operation: "create" }, { customRoleIds: ["x"] }, 0), null);
  assert.equal(refusalFor(s, { operation: "create" }, [1, 2], 0), null);
  assert.equal(refusalFor(s, { operation: "create" }, undefined, 0), null);
  assert.equal(refusalFor(s, { operation: "list" }, undefined, 0), null);
});

test("unknown ids forward; ids the upstream called missing are 404 for one TTL", () => {
  const s = snapshot();
  const id = "d".repeat(24);
  assert.equal(refusalFor(s, { operation: "get", tokenId: id }, undefined, 0), null);
  s.forget(id, 1_000);
  assert.equal(refusalFor(s, { operation: "get", tokenId: id }, undefined, 2_000).status, 404);
  assert.equal(refusalFor(s, { operation: "get", tokenId: id }, undefined, 31_000), null, "expired");
  s.forget(mine._id, 0);
  assert.equal(refusalFor(s, { operation: "delete", tokenId: mine._id }, undefined, 1).status, 404, "deleted");
  s.learn(mine);
  assert.equal(refusalFor(s, { operation: "delete", tokenId: mine._id }, undefined, 2), null, "learnt again");
});

test("snapshot cache: first call waits, fresh calls reuse, stale calls refresh in the background", async () => {
  let now = 0;
  let builds = 0;
  const cache = new SnapshotCache(async () => ({ principal, tokens: [mine], n: ++builds }), { ttlMs: 100, waitMs: 1_000, now: () => now });
  const first = await cache.get();
  assert.equal(builds, 1);
  assert.equal(await cache.get(), first);
  now = 150;
  const background = [];
  assert.equal(await cache.get((p) => background.push(p)), first, "stale snapshot served while refreshing");
  assert.equal(background.length, 1);
  await background[0];
  assert.equal(builds, 2);
  assert.notEqual(await cache.get(), first);
});

test("snapshot cache: concurrent first calls share one build; failures leave no snapshot", async () => {
  let builds = 0;
  let fail = true;
  const cache = new SnapshotCache(
    async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 10));
      if (fail) throw new Error("429");
      return { principal, tokens: [] };
    },
    { ttlMs: 100, waitMs: 1_000 },
  );
  const results = await Promise.all([cache.get(), cache.get(), cache.get()]);
  assert.deepEqual(results, [null, null, null]);
  assert.equal(builds, 1);
  assert.match(cache.lastError.message, /429/);
  fail = false;
  assert.ok(await cache.get());
  assert.equal(cache.lastError, null);
});

test("snapshot cache: a build slower than the wait forwards unchecked", async () => {
  const cache = new SnapshotCache(() => new Promise((r) => setTimeout(() => r({ principal, tokens: [] }), 200)), { ttlMs: 100, waitMs: 20 });
  assert.equal(await cache.get(), null);
});

test("answers are computed once per token for a snapshot", () => {
  let calls = 0;
  const counting = { ...principal, canSee: (t) => (calls++, principal.canSee(t)) };
  const s = new Snapshot(counting, [service, mine], 0, 30_000);
  for (let i = 0; i < 3; i++) assert.equal(refusalFor(s, { operation: "get", tokenId: service._id }, undefined, 0), null);
  assert.equal(calls, 1);
  assert.equal(refusalFor(s, { operation: "get", tokenId: mine._id }, undefined, 0), null);
  assert.equal(calls, 2);
  for (let i = 0; i < 10_050; i++) s.remember(`k${i}`, () => i);
  assert.equal(s.answers.size, 10_000);
});

test("missing-id memory is bounded", () => {
  const s = snapshot();
  for (let i = 0; i < 10_050; i++) s.forget(`id${i}`, 0);
  assert.equal(s.missing.size, 10_000);
});

test("redaction: secrets become their last four characters", () => {
  const secret = "api-12345678-1234-4234-8234-123456789abc";
  assert.equal(obfuscate(secret), "…9abc");
  assert.equal(redact(`bad token ${secret} here`, "not-this"), "bad token …9abc here");
  assert.equal(redact("key sdk-xyz", "sdk-xyz"), "key …-xyz");
  assert.deepEqual(withoutSecret({ _id: "x", token: secret }), { _id: "x", token: "9abc" });
  assert.deepEqual(withoutSecret({ _id: "x", token: "9abc" }), { _id: "x", token: "9abc" });
});
