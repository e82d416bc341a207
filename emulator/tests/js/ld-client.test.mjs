// LaunchDarkly's own generated TypeScript client (npm launchdarkly-api-typescript, axios-based) against the
// emulator: what a real integration would send must work unchanged.
//
// Run from the repository root after `cargo build -p tokengate-emulator`:
//   node --test emulator/tests/js/
// TOKENGATE_EMULATOR_BIN overrides the binary (default target/debug/tokengate-emulator).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR, startEmulator } from '../../../tests/support/js/processes.mjs';
import { requireTool } from '../../../tests/support/js/repo.mjs';

const { AccessTokensApi, Configuration } = requireTool('launchdarkly-api-typescript');

const OWNER = 'api-0d3e0000-0000-4000-8000-00000000c001';
const READER = 'api-0d3e0000-0000-4000-8000-00000000c005';
const READER_TOKEN_ID = '5f1c00000000000000000005';

let emulator;
let base;

function api(secret) {
  return new AccessTokensApi(new Configuration({ apiKey: secret, basePath: base }));
}

/** Runs an API call that must fail; returns the axios error's response. */
async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err.response, `expected an HTTP error, got ${err}`);
    return err.response;
  }
  assert.fail('the call should have failed');
}

before(async () => {
  emulator = await startEmulator([], { binary: process.env.TOKENGATE_EMULATOR_BIN ?? DEFAULT_EMULATOR });
  base = emulator.url;
});

after(() => emulator?.stop());

test('getTokens pages with showAll, limit and offset', async () => {
  const page = await api(OWNER).getTokens(true, 5, 5);
  assert.equal(page.status, 200);
  assert.equal(page.data.items.length, 5);
  assert.equal(page.data.totalCount, 15);
  assert.match(page.data._links.next.href, /limit=5&offset=10&showAll=true/);
  for (const t of page.data.items) assert.equal(t.token.length, 4);
});

test('create, get, patch, reset and delete with the generated client', async () => {
  const owner = api(OWNER);
  const created = await owner.postToken({ name: 'from the TS client', role: 'reader', description: 'made by axios' });
  assert.equal(created.status, 201);
  const token = created.data;
  assert.match(token.token, /^api-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(token.role, 'reader');

  const got = await owner.getToken(token._id);
  assert.equal(got.data.token, token.token.slice(-4));
  assert.equal(got.data._member.email, 'olivia.owner@example.com');

  const patched = await owner.patchToken(token._id, [
    { op: 'replace', path: '/name', value: 'renamed by the TS client' },
    { op: 'remove', path: '/description' },
  ]);
  assert.equal(patched.status, 200);
  assert.equal(patched.data.name, 'renamed by the TS client');
  assert.equal(patched.data.description, undefined);

  // Reset with a grace period: both secrets work until the expiry.
  const reset = await owner.resetToken(token._id, Date.now() + 60_000);
  assert.equal(reset.status, 200);
  const fresh = reset.data.token;
  assert.notEqual(fresh, token.token);
  assert.equal((await api(token.token).getToken(token._id)).status, 200);
  assert.equal((await api(fresh).getToken(token._id)).status, 200);

  const deleted = await owner.deleteToken(token._id);
  assert.equal(deleted.status, 204);
  const gone = await failure(api(fresh).getTokens());
  assert.equal(gone.status, 401);
  assert.equal(gone.data.code, 'unauthorized');
  const missing = await failure(owner.getToken(token._id));
  assert.equal(missing.status, 404);
});

test('errors arrive as LaunchDarkly error bodies the client can read', async () => {
  const reader = api(READER);
  const forbidden = await failure(reader.patchToken(READER_TOKEN_ID, [{ op: 'replace', path: '/name', value: 'mine' }]));
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.data.code, 'forbidden');
  assert.match(forbidden.data.message, /updateAccessTokenName/);
  assert.equal(forbidden.data.id, forbidden.headers['x-request-id']);
  assert.ok(Number(forbidden.headers['x-ratelimit-reset']) > 0);

  const bad = await failure(api(OWNER).postToken({ role: 'reader', customRoleIds: ['token-manager'] }));
  assert.equal(bad.status, 400);
  assert.equal(bad.data.code, 'invalid_request');

  const capped = await failure(api('api-0d3e0000-0000-4000-8000-00000000c004').postToken({ role: 'admin' }));
  assert.equal(capped.status, 403);
  assert.match(capped.data.message, /base role/);
});
