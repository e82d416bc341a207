// The built package's TokensClient against the demo emulator, used from Node as an application would:
// ESM import, async iteration, AbortController, Principal from the calling token.
//
//   cargo build -p tokengate-emulator && scripts/build-pkg.sh && node --test tests/js/

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { linkPackage } from "../support/js/package.mjs";
import { startEmulator } from "../support/js/processes.mjs";
import { assertPlain, posted } from "../support/js/plain.mjs";

linkPackage(new URL(".", import.meta.url));
const { TokensClient, ApiError, Principal } = await import("tokengate");
const cjs = createRequire(import.meta.url)("tokengate");

let emulator;
before(async () => {
  emulator = await startEmulator();
});
after(() => emulator?.stop());

const owner = () => new TokensClient({ token: emulator.secrets[0], baseUrl: emulator.url });

test("list, listAll and get", async () => {
  const client = owner();
  const page = await client.list({ showAll: true, limit: 4 });
  assert.equal(page.items.length, 4);
  assert.ok(page.totalCount >= 12);
  const all = [];
  for await (const token of client.listAll({ showAll: true, pageSize: 4 })) all.push(token._id);
  assert.equal(all.length, page.totalCount);
  assert.equal(new Set(all).size, all.length);
  const one = await client.get(all[0]);
  assert.equal(one._id, all[0]);
});

test("what the client reads is plain data", async () => {
  const client = owner();
  const page = await client.list({ showAll: true, limit: 2 });
  const identity = await client.callerIdentity();
  const answers = {
    list: page,
    get: await client.get(page.items[0]._id),
    callerIdentity: identity,
    listRoles: await client.listRoles(),
    getRole: await client.getRole("token-manager"),
    getMember: await client.getMember(identity.memberId),
    getTeam: await client.getTeam("mobile-team"),
  };
  for (const [call, answer] of Object.entries(answers)) {
    assertPlain(answer, call);
    assert.deepEqual(structuredClone(answer), answer, `${call}: structuredClone`);
    assert.deepEqual(await posted(answer), answer, `${call}: postMessage`);
  }
});

test("create, update, reset and delete with the whole lifecycle of a secret", async () => {
  const client = owner();
  const created = await client.create({ name: "node test", role: "reader" });
  assert.match(created.token, /^api-[0-9a-f-]{36}$/);
  const mine = new TokensClient({ token: created.token, baseUrl: emulator.url });
  assert.equal((await mine.callerIdentity()).tokenId, created._id);
  assert.equal((await client.update(created._id, [{ op: "replace", path: "/name", value: "renamed" }])).name, "renamed");
  assert.equal((await client.update(created._id, { comment: "c", patch: [{ op: "add", path: "/description", value: "d" }] })).description, "d");
  const reset = await client.reset(created._id);
  assert.notEqual(reset.token, created.token);
  await assert.rejects(mine.callerIdentity(), (e) => e instanceof ApiError && e.status === 401);
  assert.equal(await client.delete(created._id), undefined);
  await assert.rejects(client.get(created._id), (e) => e instanceof ApiError && e.code === "not_found" && typeof e.requestId === "string");
});

test("roles, members and the calling principal", async () => {
  const client = owner();
  const roles = await client.listRoles();
  assert.ok(roles.items.some((r) => r.key === "token-manager"));
  const role = await client.getRole("token-manager");
  assert.equal(role.key, "token-manager");
  const identity = await client.callerIdentity();
  assert.equal((await client.getMember(identity.memberId)).role, "owner");
  // A member comes with the role attributes that fill its roles (Wendy's are in the demo seed).
  const wendy = await client.getMember("5f1a00000000000000000003");
  assert.deepEqual(wendy.roleAttributes, { projects: ["mobile", "web"] });
  const principal = await client.principal();
  assert.ok(principal instanceof Principal);
  assert.equal(principal.isAdmin, true);
  assert.equal(principal.can("deleteAccessToken", "service-token/x").allowed, true);
  const decision = principal.explain("deleteAccessToken", "service-token/x");
  assert.equal(decision.allowed, true);
  assert.match(decision.reason, /allows it/);

  // A reader's token, checked before asking and then asked.
  const reader = new TokensClient({ token: emulator.secrets[4], baseUrl: emulator.url });
  const readerPrincipal = await reader.principal();
  const self = await reader.get(readerPrincipal.tokenId);
  assert.equal(readerPrincipal.checkAction(self, "deleteAccessToken").allowed, false);
  await assert.rejects(reader.delete(self._id), (e) => e instanceof ApiError && e.status === 403 && e.code === "forbidden");
});

test("abort and network errors", async () => {
  const client = owner();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.list({ signal: controller.signal }), (e) => e instanceof ApiError && e.code === "aborted");
  const nowhere = new TokensClient({ token: emulator.secrets[0], baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
  await assert.rejects(nowhere.list(), (e) => e instanceof ApiError && e.code === "network_error" && e.status === 0);
});

test("a custom fetch is used, and the CommonJS copy works against the server too", async () => {
  const seen = [];
  const client = new cjs.TokensClient({
    token: emulator.secrets[0],
    baseUrl: emulator.url,
    fetch: (url, init) => {
      seen.push([init.method, url]);
      return fetch(url, init);
    },
  });
  await client.callerIdentity();
  assert.deepEqual(seen, [["GET", `${emulator.url}/api/v2/caller-identity`]]);
  await assert.rejects(client.get("000000000000000000000000"), (e) => e instanceof ApiError && e.status === 404);
});
