// The edge broker in real workerd, in front of the emulator: what passes, what is refused at the edge (without
// reaching the upstream, proven by a counting proxy), and that 429s come back unchanged.
//
// Run: node --test examples/edge-broker/test/   (scripts/test-edge.sh builds the emulator and package first)

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PKG_DIR } from "../../../tests/support/js/package.mjs";
import { demoSecret, startEmulator, stop } from "../../../tests/support/js/processes.mjs";
import { startPrism, violationLines } from "../../../tests/support/js/prism.mjs";
import { BROKER_DIR, startBroker, startCountingProxy } from "./harness.mjs";

const UNKNOWN_ID = "0123456789abcdef01234567";
const JSON_HEADERS = { "content-type": "application/json" };

let emulator;
let proxy;
let adminSecret;
let readerSecret;
/** Broker holding an Admin token: its calls are allowed and must pass through. */
let adminBroker;
/** Broker holding a reader token: it can see tokens but manage none. */
let readerBroker;
/** The reader broker with the check switched off (EDGE_CHECK=off). */
let uncheckedBroker;
const started = [];

async function call(broker, method, path, { body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    Object.assign(init.headers, JSON_HEADERS);
  }
  const response = await fetch(`${broker.url}${path}`, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** The same request straight to the emulator, for comparing the edge's answer with the upstream's. */
async function direct(secret, method, path, body) {
  const init = { method, headers: { authorization: secret, "ld-api-version": "20240415" } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    Object.assign(init.headers, JSON_HEADERS);
  }
  const response = await fetch(`${emulator.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** Calls `fn` and returns the requests the upstream received meanwhile. */
async function upstreamCallsDuring(fn) {
  const mark = proxy.seen.length;
  const result = await fn();
  // Background learning (waitUntil) may still be in flight; it never makes requests, but give it a tick.
  await new Promise((r) => setTimeout(r, 50));
  return { result, calls: proxy.since(mark) };
}

before(async () => {
  emulator = await startEmulator(["--rate-limit-global", "100000", "--rate-limit-route", "100000"]);
  started.push(emulator.child);
  proxy = await startCountingProxy(emulator.url);
  adminSecret = demoSecret(emulator, "Admin automation");
  readerSecret = demoSecret(emulator, "Reader dashboards");
  [adminBroker, readerBroker, uncheckedBroker] = await Promise.all([
    startBroker({ secret: adminSecret, upstream: proxy.url }),
    startBroker({ secret: readerSecret, upstream: proxy.url }),
    startBroker({ secret: readerSecret, upstream: proxy.url, env: { EDGE_CHECK: "off" } }),
  ]);
  started.push(adminBroker.child, readerBroker.child, uncheckedBroker.child);
  // Warm each checked broker's principal snapshot.
  for (const broker of [adminBroker, readerBroker]) assert.equal((await call(broker, "GET", "/api/v2/tokens")).status, 200);
});

after(async () => {
  await Promise.all(started.map(stop));
  await proxy?.close();
});

describe("allowed calls pass through", () => {
  test("reads: list, caller identity, roles, member", async () => {
    const { result: list, calls } = await upstreamCallsDuring(() => call(readerBroker, "GET", "/api/v2/tokens?limit=5"));
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.json.items));
    assert.equal(list.headers.get("x-tokengate-edge"), "checked");
    assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), ["GET /api/v2/tokens?limit=5"]);

    const me = await call(readerBroker, "GET", "/api/v2/caller-identity");
    assert.equal(me.status, 200);
    assert.equal(typeof me.json.tokenId, "string");
    assert.equal((await call(readerBroker, "GET", "/api/v2/roles")).status, 200);
    if (me.json.memberId) {
      const member = await call(readerBroker, "GET", `/api/v2/members/${me.json.memberId}`);
      assert.equal(member.status, 200);
    }
  });

  test("the broker's secret replaces whatever Authorization the browser sent", async () => {
    const { calls } = await upstreamCallsDuring(() =>
      call(readerBroker, "GET", "/api/v2/caller-identity", { headers: { authorization: "api-00000000-0000-4000-8000-000000000000" } }),
    );
    assert.equal(calls.length, 1);
    assert.equal(calls[0].status, 200, "the upstream saw the broker's own secret, not the browser's");
  });

  test("create, get, update, reset and delete through an Admin broker", async () => {
    const { result: created, calls } = await upstreamCallsDuring(() =>
      call(adminBroker, "POST", "/api/v2/tokens", { body: { name: "edge-made", role: "reader" } }),
    );
    assert.equal(created.status, 201, created.text);
    assert.equal(calls.length, 1);
    const id = created.json._id;
    assert.equal((await call(adminBroker, "GET", `/api/v2/tokens/${id}`)).status, 200);
    const renamed = await call(adminBroker, "PATCH", `/api/v2/tokens/${id}`, { body: [{ op: "replace", path: "/name", value: "edge-renamed" }] });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.json.name, "edge-renamed");
    const wrapped = await call(adminBroker, "PATCH", `/api/v2/tokens/${id}`, {
      body: { comment: "why", patch: [{ op: "add", path: "/description", value: "described" }] },
    });
    assert.equal(wrapped.status, 200, wrapped.text);
    const reset = await call(adminBroker, "POST", `/api/v2/tokens/${id}/reset?expiry=${Date.now() + 60_000}`);
    assert.equal(reset.status, 200, reset.text);
    const { result: deleted, calls: deleteCalls } = await upstreamCallsDuring(() => call(adminBroker, "DELETE", `/api/v2/tokens/${id}`));
    assert.equal(deleted.status, 204);
    assert.equal(deleteCalls.length, 1);
    // The broker learnt the deletion: a second delete is answered at the edge, as the upstream would answer it.
    const { result: again, calls: againCalls } = await upstreamCallsDuring(() => call(adminBroker, "DELETE", `/api/v2/tokens/${id}`));
    assert.equal(again.status, 404);
    assert.equal(again.json.code, "not_found");
    assert.deepEqual(againCalls, []);
  });

  test("the upstream still answers what the check cannot decide (unknown id)", async () => {
    const { result, calls } = await upstreamCallsDuring(() => call(adminBroker, "GET", `/api/v2/tokens/${UNKNOWN_ID}`));
    assert.equal(result.status, 404);
    assert.equal(result.headers.get("x-tokengate-edge"), "checked");
    assert.equal(calls.length, 1);
  });
});

describe("calls the principal cannot make are refused at the edge", () => {
  let serviceToken;
  let adminsPersonalToken;

  before(async () => {
    serviceToken = (await direct(adminSecret, "POST", "/api/v2/tokens", { name: "edge-target", serviceToken: true, role: "reader" })).json;
    adminsPersonalToken = (await direct(adminSecret, "POST", "/api/v2/tokens", { name: "edge-hidden", role: "reader" })).json;
    // The reader broker learns about the new service token the way a console would: by listing.
    assert.equal((await call(readerBroker, "GET", "/api/v2/tokens?limit=1000")).status, 200);
  });

  after(async () => {
    for (const t of [serviceToken, adminsPersonalToken]) if (t?._id) await direct(adminSecret, "DELETE", `/api/v2/tokens/${t._id}`);
  });

  const refusals = () => [
    ["DELETE", `/api/v2/tokens/${serviceToken._id}`, undefined],
    ["PATCH", `/api/v2/tokens/${serviceToken._id}`, [{ op: "replace", path: "/name", value: "nope" }]],
    ["PATCH", `/api/v2/tokens/${serviceToken._id}`, { comment: "c", patch: [{ op: "replace", path: "/description", value: "nope" }] }],
    ["POST", `/api/v2/tokens/${serviceToken._id}/reset`, undefined],
    ["POST", "/api/v2/tokens", { name: "too much", role: "admin" }],
    ["POST", "/api/v2/tokens", { name: "service", serviceToken: true, role: "reader" }],
  ];

  test("403 with LaunchDarkly's error body and the decision's reason, no upstream request", async () => {
    for (const [method, path, body] of refusals()) {
      const { result, calls } = await upstreamCallsDuring(() => call(readerBroker, method, path, { body }));
      assert.equal(result.status, 403, `${method} ${path}: ${result.text}`);
      assert.equal(result.json.code, "forbidden");
      assert.equal(typeof result.json.message, "string");
      assert.ok(result.json.reason.length > 0, "carries the decision's reason");
      assert.equal(result.headers.get("x-tokengate-edge"), "refused");
      assert.deepEqual(calls, [], `${method} ${path} reached the upstream`);
    }
  });

  test("each edge refusal matches what the upstream answers for the same call", async () => {
    for (const [method, path, body] of refusals()) {
      const edge = await call(readerBroker, method, path, { body });
      const upstream = await direct(readerSecret, method, path, body);
      assert.equal(edge.status, upstream.status, `${method} ${path}`);
      assert.equal(edge.json.code, upstream.json.code, `${method} ${path}`);
    }
  });

  test("with EDGE_CHECK=off the same calls reach the upstream, which refuses them", async () => {
    const [method, path, body] = refusals()[0];
    const { result, calls } = await upstreamCallsDuring(() => call(uncheckedBroker, method, path, { body }));
    assert.equal(result.status, 403);
    assert.equal(result.headers.get("x-tokengate-edge"), "unchecked");
    assert.equal(calls.length, 1);
  });

  test("GET of a token the principal cannot see: 404 from the edge once known", async () => {
    const path = `/api/v2/tokens/${adminsPersonalToken._id}`;
    const first = await upstreamCallsDuring(() => call(readerBroker, "GET", path));
    assert.equal(first.result.status, 404);
    assert.equal(first.calls.length, 1, "the first look asks the upstream");
    const second = await upstreamCallsDuring(() => call(readerBroker, "GET", path));
    assert.equal(second.result.status, 404);
    assert.equal(second.result.json.code, "not_found");
    assert.ok(second.result.json.reason.length > 0);
    assert.deepEqual(second.calls, [], "the second is answered at the edge");
    const patch = await upstreamCallsDuring(() => call(readerBroker, "PATCH", path, { body: [{ op: "replace", path: "/name", value: "x" }] }));
    assert.equal(patch.result.status, 404);
    assert.deepEqual(patch.calls, []);
  });

  test("an Admin broker sees that token and its GET passes through", async () => {
    const { result, calls } = await upstreamCallsDuring(() => call(adminBroker, "GET", `/api/v2/tokens/${adminsPersonalToken._id}`));
    assert.equal(result.status, 200);
    assert.equal(calls.length, 1);
  });
});

describe("the broker's own boundaries", () => {
  test("cross-origin requests are refused without an upstream call", async () => {
    const { result, calls } = await upstreamCallsDuring(() =>
      call(adminBroker, "DELETE", `/api/v2/tokens/${UNKNOWN_ID}`, { headers: { origin: "https://elsewhere.example" } }),
    );
    assert.equal(result.status, 403);
    assert.deepEqual(calls, []);
    const sameOrigin = await call(adminBroker, "GET", "/api/v2/tokens?limit=1", { headers: { origin: adminBroker.url, "sec-fetch-site": "same-origin" } });
    assert.equal(sameOrigin.status, 200);
  });

  test("only the token and identity endpoints are served", async () => {
    const { result, calls } = await upstreamCallsDuring(() => call(adminBroker, "GET", "/api/v2/flags/default"));
    assert.equal(result.status, 404);
    assert.deepEqual(calls, []);
    assert.equal((await call(adminBroker, "PUT", "/api/v2/tokens")).status, 405);
  });

  test("the page at / comes from the same origin, without an upstream call", async () => {
    const { result, calls } = await upstreamCallsDuring(() => call(adminBroker, "GET", "/"));
    assert.equal(result.status, 200);
    assert.match(result.headers.get("content-type"), /^text\/html/);
    assert.match(result.text, /edge broker/);
    assert.deepEqual(calls, []);
  });

  test("a form-encoded body is refused", async () => {
    const response = await fetch(`${adminBroker.url}/api/v2/tokens`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=x",
    });
    assert.equal(response.status, 400);
  });

  test("no full secret appears in workerd's output", () => {
    for (const broker of [adminBroker, readerBroker, uncheckedBroker]) {
      const output = broker.output.stdout + broker.output.stderr;
      assert.ok(!output.includes(adminSecret) && !output.includes(readerSecret));
      assert.doesNotMatch(output, /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    }
  });
});

describe("the broker's answers against the official schema (Prism in front of the broker)", () => {
  let prismForAdmin;
  let prismForReader;

  before(async () => {
    [prismForAdmin, prismForReader] = await Promise.all([startPrism(adminBroker.url), startPrism(readerBroker.url)]);
    started.push(prismForAdmin.child, prismForReader.child);
  });

  async function viaPrism(prism, secretShown, method, path, body) {
    const init = { method, headers: { authorization: secretShown } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["content-type"] = "application/json";
    }
    const response = await fetch(`${prism.url}${path}`, init);
    const text = await response.text();
    return {
      status: response.status,
      edge: response.headers.get("x-tokengate-edge"),
      violations: JSON.parse(response.headers.get("sl-violations") ?? "[]"),
      problem: /problem\+json/.test(response.headers.get("content-type") ?? "") ? text : null,
      json: text ? JSON.parse(text) : null,
    };
  }

  test("passed-through answers and edge refusals both match the schema", async () => {
    // Prism needs an Authorization header (the schema's security scheme); the broker drops it and uses its own.
    const placeholder = "api-00000000-0000-4000-8000-000000000000";
    const results = [];
    const run = async (prism, method, path, body) => {
      const r = await viaPrism(prism, placeholder, method, path, body);
      results.push({ call: `${method} ${path}`, ...r });
      return r;
    };
    assert.equal((await run(prismForAdmin, "GET", "/api/v2/tokens?limit=3")).status, 200);
    const created = await run(prismForAdmin, "POST", "/api/v2/tokens", { name: "schema-checked", role: "reader" });
    assert.equal(created.status, 201);
    const id = created.json._id;
    assert.equal((await run(prismForAdmin, "GET", `/api/v2/tokens/${id}`)).status, 200);
    assert.equal((await run(prismForAdmin, "PATCH", `/api/v2/tokens/${id}`, [{ op: "replace", path: "/name", value: "n" }])).status, 200);
    assert.equal((await run(prismForAdmin, "POST", `/api/v2/tokens/${id}/reset`)).status, 200);
    assert.equal((await run(prismForReader, "GET", "/api/v2/tokens?limit=1000")).status, 200);
    const refusedDelete = await run(prismForReader, "DELETE", "/api/v2/tokens/5f1c00000000000000000009");
    assert.equal(refusedDelete.status, 403);
    assert.equal(refusedDelete.edge, "refused");
    assert.equal((await run(prismForReader, "PATCH", "/api/v2/tokens/5f1c00000000000000000009", [{ op: "replace", path: "/name", value: "n" }])).status, 403);
    assert.equal((await run(prismForReader, "POST", "/api/v2/tokens", { name: "x", role: "admin" })).status, 403);
    assert.equal((await run(prismForReader, "GET", `/api/v2/tokens/${id}`)).status, 404);
    const hidden = await run(prismForReader, "GET", `/api/v2/tokens/${id}`);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.edge, "refused");
    assert.equal((await run(prismForAdmin, "DELETE", `/api/v2/tokens/${id}`)).status, 204);
    assert.deepEqual(results.filter((r) => r.violations.length > 0 || r.problem), []);
    assert.deepEqual([...violationLines(prismForAdmin.output), ...violationLines(prismForReader.output)], []);
  });
});

describe("packaging", () => {
  test("config.capnp embeds the package's workerd export and every module it imports, under resolvable names", () => {
    const config = readFileSync(path.join(BROKER_DIR, "config.capnp"), "utf8");
    const embedded = new Map(
      [...config.matchAll(/\(name = "([^"]+)", (esModule|wasm) = embed "([^"]+)"\)/g)].map((m) => [m[1], path.resolve(BROKER_DIR, m[3])]),
    );
    const pkg = JSON.parse(readFileSync(path.join(PKG_DIR, "package.json"), "utf8"));
    const entry = path.resolve(PKG_DIR, pkg.exports["."].workerd);
    assert.equal(embedded.get("tokengate"), entry, "the bare specifier `tokengate` is the workerd export");
    // Walk the entry's relative imports: each must be embedded under the name workerd resolves it to.
    const pending = [["tokengate", entry]];
    const seen = new Set();
    while (pending.length > 0) {
      const [name, file] = pending.pop();
      if (seen.has(name) || file.endsWith(".wasm")) continue;
      seen.add(name);
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s+"(\.\/[^"]+)"/g)) {
        const target = new URL(spec, `file:///bundle/${name}`).pathname.slice("/bundle/".length);
        assert.equal(embedded.get(target), path.resolve(path.dirname(file), spec), `${name} imports ${spec}: embed it as "${target}"`);
        pending.push([target, path.resolve(path.dirname(file), spec)]);
      }
    }
    assert.ok(seen.size >= 2);
  });
});

describe("rate limits", () => {
  let limited;
  let limitedProxy;
  let broker;

  before(async () => {
    limited = await startEmulator(["--rate-limit-route", "3", "--rate-limit-global", "1000"]);
    started.push(limited.child);
    limitedProxy = await startCountingProxy(limited.url);
    broker = await startBroker({ secret: demoSecret(limited, "Admin automation"), upstream: limitedProxy.url });
    started.push(broker.child);
  });

  after(async () => {
    await limitedProxy?.close();
  });

  test("upstream 429s and their rate-limit headers pass through unchanged", async () => {
    let answer = null;
    for (let i = 0; i < 12 && !answer; i++) {
      const mark = limitedProxy.seen.length;
      const result = await call(broker, "GET", "/api/v2/tokens?limit=1");
      if (result.status === 429) answer = { result, upstream: limitedProxy.since(mark).find((c) => c.status === 429) };
    }
    assert.ok(answer, "no 429 within 12 calls");
    const { result, upstream } = answer;
    assert.ok(upstream, "the 429 came from the upstream");
    assert.equal(result.json.code, "rate_limited");
    const names = Object.keys(upstream.headers).filter((h) => /^x-ratelimit-|^retry-after$/.test(h));
    assert.ok(names.length > 0, `the upstream sent rate-limit headers: ${Object.keys(upstream.headers)}`);
    for (const name of names) assert.equal(result.headers.get(name), String(upstream.headers[name]), name);
  });
});
