// The built package's client against a misbehaving server: dropped connections, stalls, garbage, 429s with
// resets in the past and far in the future, 5xx. Every failure must be a typed `ApiError` with the right code,
// come after a bounded number of requests and of waits no longer than the retry policy allows, honour an
// AbortSignal, and a create (POST) must never be sent twice once it may have reached the server.
//
// Nothing here measures how long a call took (the machines are shared and noisy): the waits the client chose are
// read from its timers (timers.mjs), the requests from the server, and an abort's effect from what was (not) sent
// after it, with the client's waits held so that only the abort can end them.
//
//   node --test tests/faults/client_faults.test.mjs        (needs pkg/ from scripts/build-pkg.sh)
//   TOKENGATE_PKG=/path/to/index.mjs node --test ...        (another build)

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { PKG_ENTRY } from "../support/js/package.mjs";
import { setTimeout as pause } from "node:timers/promises";
import { startMisbehavingServer, behaviours } from "./misbehaving_server.mjs";
import { spyOnTimers, withWaits } from "./timers.mjs";

const { TokensClient, ApiError } = await import(pathToFileURL(PKG_ENTRY).href);

const SECRET = "api-0f8b6c1e-2d4a-4b7e-9c3f-5a6d7e8f9a0b";
const TOKEN = {
  _id: "5f3a9c0d1e2b4a6c8d0e1f2a",
  ownerId: "o1",
  memberId: "m1",
  creationDate: 1700000000000,
  lastModified: 1700000000000,
  role: "reader",
  token: SECRET,
  _links: { self: { href: "/api/v2/tokens/5f3a9c0d1e2b4a6c8d0e1f2a", type: "application/json" } },
};
const TOKENS = { items: [TOKEN], totalCount: 1, _links: {} };

let server;
before(async () => {
  server = await startMisbehavingServer();
});
after(async () => {
  const { scenarios, requests } = server.stats();
  console.log(`client fault scenarios: ${scenarios}, requests served: ${requests}`);
  await server.close();
});

function client(options = {}) {
  return new TokensClient({ token: SECRET, baseUrl: server.baseUrl, maxRetries: 2, ...options });
}

/// Awaits `promise`, expecting an ApiError with `code` (and `status` when given).
async function rejectsWith(promise, { code, status }) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected an ApiError ${code}, but the call succeeded`);
  assert.ok(error instanceof ApiError, `expected an ApiError, got ${error?.constructor?.name}: ${error}`);
  assert.ok(error instanceof Error, "ApiError is an Error");
  assert.equal(error.code, code, `code (message: ${error.message})`);
  if (status !== undefined) assert.equal(error.status, status, "status");
  assert.equal(typeof error.message, "string");
  assert.ok(!error.message.includes(SECRET.slice(4)), `the secret leaked into the message: ${error.message}`);
  return { error };
}

/// Runs `call()` and expects it to reject as `rejectsWith` does; returns the error and the waits the client chose.
async function rejectsWithWaits(call, expected) {
  const { value, error, waits } = await withWaits(call);
  await rejectsWith(error ? Promise.reject(error) : Promise.resolve(value), expected);
  return { error, waits };
}

/// Resolves once `condition()` holds. Polled; the bound on polls is a hang guard, not a time limit of the test.
async function until(condition, what) {
  for (let i = 0; i < 5_000; i++) {
    if (condition()) return;
    await pause(2);
  }
  assert.fail(`never happened: ${what}`);
}

/// The retry policy's bounds on one wait (src/api/retry.rs), before retry number `n` (from 0): 5xx and network
/// errors back off from 250 ms, doubling, by half a step of jitter; a 429 without a readable hint likewise, by a
/// whole step; a 429's announced wait gets at most min(1000, 100 + wait/10) ms of jitter; no wait exceeds 30 s.
const BACKOFF = (n) => [125 * 2 ** n, 250 * 2 ** n];
const RATE_LIMIT_BACKOFF = (n) => [250 * 2 ** n, 500 * 2 ** n];
const MAX_WAIT_MS = 30_000;

/// Checks that the client waited `waits.length === bounds.length` times, wait `n` within `bounds[n]`.
function assertWaits(waits, bounds, what) {
  const ms = waits.map((w) => w.ms);
  assert.equal(ms.length, bounds.length, `${what}: waits ${JSON.stringify(ms)}`);
  ms.forEach((wait, n) => {
    const [low, high] = bounds[n];
    assert.ok(wait >= low && wait <= high, `${what}: wait ${n} of ${wait} ms, not within [${low}, ${high}]`);
  });
}

const create = (c, options) => c.create({ name: "ci", role: "reader" }, options);
const methods = (c, options) => ({
  list: () => c.list(options),
  get: () => c.get(TOKEN._id, options),
  create: () => create(c, options),
  update: () => c.update(TOKEN._id, [{ op: "replace", path: "/name", value: "x" }], options),
  delete: () => c.delete(TOKEN._id, options),
  reset: () => c.reset(TOKEN._id, options),
});
/// Which calls may be repeated after a network error or 5xx (the request may have reached the server).
const IDEMPOTENT = new Set(["list", "get", "delete"]);

// ---- dropped connections ----

test("a dropped connection is network_error; only idempotent calls are retried, after bounded backoff", async () => {
  for (const [name, call] of Object.entries(methods(client()))) {
    server.behave(behaviours.drop());
    const { waits } = await rejectsWithWaits(call, { code: "network_error", status: 0 });
    const expected = IDEMPOTENT.has(name) ? 3 : 1;
    assert.equal(server.requests.length, expected, `${name}: requests sent`);
    assertWaits(waits, IDEMPOTENT.has(name) ? [BACKOFF(0), BACKOFF(1)] : [], name);
  }
});

test("a connection dropped halfway through the body fails typed, and a create is not repeated", async () => {
  for (const [name, call] of Object.entries(methods(client()))) {
    if (name === "delete") continue; // delete ignores its body: a 200 with half a body is a success
    server.behave(behaviours.dropMidBody());
    const error = await call().then(
      () => assert.fail(`${name} succeeded on half a body`),
      (e) => e,
    );
    assert.ok(error instanceof ApiError, `${name}: ${error}`);
    // Headers arrived, so this is either a network failure while reading or an unreadable body.
    assert.ok(["network_error", "unexpected_response"].includes(error.code), `${name}: ${error.code}`);
    // Within the retry budget (maxRetries 2), and never repeated when it may have taken effect.
    assert.ok(server.requests.length <= 3, `${name}: ${server.requests.length} requests`);
    if (!IDEMPOTENT.has(name)) assert.equal(server.requests.length, 1, `${name} was repeated`);
  }
});

// ---- stalls and aborts ----

test("a stalled server is cut off by the caller's AbortSignal, and only by it", async () => {
  for (const name of Object.keys(methods(client()))) {
    server.behave(behaviours.stall());
    const controller = new AbortController();
    let settled = false;
    const call = methods(client(), { signal: controller.signal })[name]();
    call.then(
      () => (settled = true),
      () => (settled = true),
    );
    // The request reached the stalled server, and the call is still waiting for it: it did not give up by itself.
    await until(() => server.requests.length === 1, `${name} reaching the server`);
    await pause(20);
    assert.equal(settled, false, `${name} settled before the signal fired`);
    controller.abort();
    await rejectsWith(call, { code: "aborted", status: 0 });
    assert.equal(server.requests.length, 1, `${name}: sent again after the abort`);
  }
});

test("an already-aborted signal sends nothing", async () => {
  server.behave(behaviours.status(200, TOKENS));
  const controller = new AbortController();
  controller.abort();
  const { waits } = await rejectsWithWaits(() => client().list({ signal: controller.signal }), { code: "aborted" });
  assert.equal(server.requests.length, 0);
  assert.equal(waits.length, 0);
});

test("an abort during a retry wait ends the call at once", async () => {
  server.behave(behaviours.status(503, { code: "unavailable", message: "down" }));
  const controller = new AbortController();
  const c = client({ maxRetries: 5 });
  // The client's waits are held: they never run out, so only the abort can end the one it is in.
  const spy = spyOnTimers({ hold: true });
  try {
    const call = c.list({ signal: controller.signal });
    await until(() => spy.waits.length === 1, "the first retry wait");
    controller.abort();
    await rejectsWith(call, { code: "aborted" });
  } finally {
    spy.restore();
  }
  assertWaits(spy.waits, [BACKOFF(0)], "the wait the abort ended");
  assert.equal(server.requests.length, 1, "a retry was sent after the abort");
});

// ---- garbage ----

test("garbage bodies are unexpected_response, never a half-filled value", async () => {
  const bodies = [
    "not json",
    "[1,2,3]",
    '{"items": 5}',
    '{"_id": 12}',
    "null",
    '{"items":[{"_id":"x"}]}',
    "\u0000\u0001\u0002",
    "{".repeat(100_000),
    "x".repeat(3_000_000),
  ];
  const c = client();
  for (const body of bodies) {
    server.behave(behaviours.status(200, body));
    if (body.startsWith("{") && !body.startsWith("{{") && !body.includes('"items"')) {
      // An object without `items` is a valid empty page for the schema: see the next test.
    } else {
      await rejectsWith(c.list(), { code: "unexpected_response", status: 200 });
    }
    await rejectsWith(c.get(TOKEN._id), { code: "unexpected_response", status: 200 });
    server.behave(behaviours.status(201, body));
    await rejectsWith(create(c), { code: "unexpected_response", status: 201 });
    assert.equal(server.requests.length, 1, "a create answered with garbage was repeated");
  }
});

// The schema does not require `items`, so `{}` is a valid (empty) page; but the package's `Tokens` type
// declares `items: Token[]`, so a caller may write `page.items.length`. The page must carry `items`.
test("a 200 page without items still has items: []", async () => {
  const c = client();
  for (const body of ["{}", '{"_id": 12}', '{"totalCount": 3}']) {
    server.behave(behaviours.status(200, body));
    const page = await c.list().catch((e) => e);
    if (page instanceof ApiError) {
      assert.equal(page.code, "unexpected_response");
      continue;
    }
    assert.ok(Array.isArray(page.items), `list() resolved ${JSON.stringify(page)} without items`);
  }
});

test("error statuses without a JSON body keep their status; a server's error body keeps its code", async () => {
  const c = client({ maxRetries: 0 });
  server.behave(behaviours.status(404, "<html>nope</html>", { "Content-Type": "text/html" }));
  await rejectsWith(c.get(TOKEN._id), { code: "unexpected_response", status: 404 });
  server.behave(behaviours.status(403, { code: "forbidden", message: "no", id: "req-9" }));
  const { error } = await rejectsWith(c.get(TOKEN._id), { code: "forbidden", status: 403 });
  assert.equal(error.requestId, "req-9");
  server.behave(behaviours.status(400, { code: "invalid_request", message: `bad token ${SECRET}` }));
  await rejectsWith(create(c), { code: "invalid_request", status: 400 }); // the secret check is in rejectsWith
});

// ---- rate limits ----

test("429 with a reset in the past retries at once, then gives up typed", async () => {
  server.behave(
    behaviours.status(429, { code: "rate_limited", message: "slow down" }, {
      "X-Ratelimit-Reset": String(Date.now() - 60_000),
    }),
  );
  const { error, waits } = await rejectsWithWaits(() => client().list(), { code: "rate_limited", status: 429 });
  assert.equal(server.requests.length, 3);
  assert.equal(error.retryAfterMs, 0, "a reset in the past is no wait, never a negative one");
  // At once: no wait but the jitter of a zero wait (at most 100 ms).
  assertWaits(waits, [[0, 100], [0, 100]], "a reset in the past");
});

test("429 is retried even for a create (the server refused it), and the retry can succeed", async () => {
  server.behave(
    behaviours.sequence(
      1,
      behaviours.status(429, "", { "X-Ratelimit-Reset": String(Date.now() - 1000) }),
      behaviours.status(201, TOKEN),
    ),
  );
  const { value: token, waits } = await withWaits(() => create(client()));
  assert.equal(token._id, TOKEN._id);
  assert.equal(server.requests.length, 2);
  assertWaits(waits, [[0, 100]], "a reset in the past");
});

test("429 with a reset far in the future: no retry budget means an immediate typed error", async () => {
  const reset = Date.now() + 3_600_000;
  server.behave(behaviours.status(429, "", { "X-Ratelimit-Reset": String(reset) }));
  const { error, waits } = await rejectsWithWaits(() => client({ maxRetries: 0 }).list(), {
    code: "rate_limited",
    status: 429,
  });
  assert.ok(error.retryAfterMs > 3_500_000 && error.retryAfterMs <= 3_600_000, `retryAfterMs ${error.retryAfterMs}`);
  assert.equal(server.requests.length, 1);
  assertWaits(waits, [], "no retry budget");
});

test("429 with a reset far in the future: the long wait is abortable", async () => {
  server.behave(behaviours.status(429, "", { "X-Ratelimit-Reset": String(Date.now() + 3_600_000), "Retry-After": "3600" }));
  const controller = new AbortController();
  const spy = spyOnTimers({ hold: true });
  try {
    const call = client().list({ signal: controller.signal });
    await until(() => spy.waits.length === 1, "the wait for the reset");
    controller.abort();
    await rejectsWith(call, { code: "aborted" });
  } finally {
    spy.restore();
  }
  // The hour-long wait was capped at the longest single wait, and the abort ended it.
  assertWaits(spy.waits, [[MAX_WAIT_MS, MAX_WAIT_MS]], "the wait for a reset an hour away");
  assert.equal(server.requests.length, 1);
});

test("429 with unreadable headers falls back to bounded backoff", async () => {
  server.behave(behaviours.status(429, "", { "X-Ratelimit-Reset": "soon", "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT" }));
  const { waits } = await rejectsWithWaits(() => client({ maxRetries: 1 }).list(), { code: "rate_limited" });
  assert.equal(server.requests.length, 2);
  assertWaits(waits, [RATE_LIMIT_BACKOFF(0)], "unreadable headers");
});

// ---- 5xx ----

test("5xx: idempotent calls retry with bounded backoff; creates, patches and resets are sent once", async () => {
  for (const [name, call] of Object.entries(methods(client()))) {
    server.behave(behaviours.status(500, { code: "internal_error", message: "boom" }));
    const { waits } = await rejectsWithWaits(call, { code: "internal_error", status: 500 });
    assert.equal(server.requests.length, IDEMPOTENT.has(name) ? 3 : 1, `${name}: requests sent`);
    assertWaits(waits, IDEMPOTENT.has(name) ? [BACKOFF(0), BACKOFF(1)] : [], name);
  }
});

test("a 503 then a 200 recovers for a read", async () => {
  server.behave(behaviours.sequence(1, behaviours.status(503, "busy"), behaviours.status(200, TOKENS)));
  const page = await client().list();
  assert.equal(page.items.length, 1);
  assert.equal(server.requests.length, 2);
});

test("the client stays usable after every fault", async () => {
  server.behave(behaviours.status(200, TOKEN));
  const token = await client().get(TOKEN._id);
  assert.equal(token._id, TOKEN._id);
});

// Last: if this fails by trapping, the module instance is unusable afterwards.
test("deeply nested JSON in a response is refused typed, and the module keeps working", async () => {
  const c = client({ maxRetries: 0 });
  const depth = 20_000;
  const deep = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  const bodies = [
    ["getMember", () => c.getMember("m1"), `{"_id":"m1","email":"a@example.com","role":"reader","_lastSeenMetadata":${deep}}`],
    ["getRole", () => c.getRole("k"), `{"_id":"r1","key":"k","name":"K","policy":[],"_access":${deep}}`],
    ["get", () => c.get(TOKEN._id), JSON.stringify(TOKEN).replace(/}$/, `,"extra":${deep}}`)],
    ["list", () => c.list(), `{"items":[],"_links":${deep}}`],
  ];
  for (const [name, call, body] of bodies) {
    server.behave(behaviours.status(200, body));
    // A trap inside the call's task leaves its promise unsettled for ever: bound the wait.
    let timer;
    const outcome = await Promise.race([
      call().then(
        () => "returned",
        (e) => e,
      ),
      new Promise((resolve) => (timer = setTimeout(() => resolve("never settled"), 10_000))),
    ]);
    clearTimeout(timer);
    assert.notEqual(outcome, "never settled", `${name}: the call never settled`);
    if (outcome !== "returned") {
      assert.ok(outcome instanceof ApiError, `${name}: ${outcome?.constructor?.name}: ${outcome?.message}`);
    }
    server.behave(behaviours.status(200, TOKEN));
    assert.equal((await c.get(TOKEN._id))._id, TOKEN._id, `${name}: the client stopped working`);
  }
});
