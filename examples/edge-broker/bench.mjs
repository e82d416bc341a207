// Loopback load run through the broker, with and without the edge permission check, in one run.
//
//   node examples/edge-broker/bench.mjs [--seconds 10] [--concurrency 8]
//
// Starts the emulator (rate limits lifted) and two brokers holding the same Admin token, one with EDGE_CHECK=off,
// then alternates short rounds between them so both see the same machine conditions. The workload is the calls a
// token console makes most: GET of one token (checked: visibility) and a rename (checked: updateAccessTokenName).
// Prints requests/s and p99 latency for each, and the on/off ratio both over the whole run and as the median of
// back-to-back round pairs (robust when other work shares the machine). A last short run measures calls refused at
// the edge (a reader token deleting a service token): the broker's own cost with the check and no upstream.
// Stops by itself.

import { parseArgs } from "node:util";
import http from "node:http";
import os from "node:os";
import { demoSecret, startBroker, startEmulator, stop } from "./test/harness.mjs";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "10" }, concurrency: { type: "string", default: "8" } },
});
const SECONDS = Math.max(2, Number(values.seconds));
const CONCURRENCY = Math.max(1, Number(values.concurrency));
const ROUNDS = 6;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(base, method, path, body) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        agent,
        headers: payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {},
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** Runs the workload against `base` for `ms`; returns latencies (ms) of successful calls and the failures. */
async function round(base, tokenId, ms, call = defaultCall) {
  const latencies = [];
  let failures = 0;
  const deadline = performance.now() + ms;
  let n = 0;
  async function worker() {
    while (performance.now() < deadline) {
      const i = n++;
      const start = performance.now();
      const ok = await call(base, tokenId, i);
      if (ok) latencies.push(performance.now() - start);
      else failures++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, failures, ms };
}

/** Three GETs of one token for each rename, like a console showing a token and now and then editing it. */
async function defaultCall(base, tokenId, i) {
  const status =
    i % 4 === 3
      ? await request(base, "PATCH", `/api/v2/tokens/${tokenId}`, [{ op: "replace", path: "/name", value: `bench-${i}` }])
      : await request(base, "GET", `/api/v2/tokens/${tokenId}`);
  return status === 200;
}

/** A delete the broker's token may not make: answered 403 at the edge. */
async function refusedCall(base, tokenId) {
  return (await request(base, "DELETE", `/api/v2/tokens/${tokenId}`)) === 403;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function summarize(rounds) {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((s, r) => s + r.ms, 0) / 1000;
  const p = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    failures: rounds.reduce((s, r) => s + r.failures, 0),
    rps: latencies.length / seconds,
    p50: p(0.5),
    p99: p(0.99),
  };
}

const children = [];
try {
  const emulator = await startEmulator(["--rate-limit-global", "100000000", "--rate-limit-route", "100000000"]);
  children.push(emulator.child);
  const secret = demoSecret(emulator, "Admin automation");
  const [checked, unchecked, reader] = await Promise.all([
    startBroker({ secret, upstream: emulator.url }),
    startBroker({ secret, upstream: emulator.url, env: { EDGE_CHECK: "off" } }),
    startBroker({ secret: demoSecret(emulator, "Reader dashboards"), upstream: emulator.url }),
  ]);
  children.push(checked.child, unchecked.child, reader.child);

  const created = await fetch(`${checked.url}/api/v2/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "bench", role: "reader" }),
  });
  if (created.status !== 201) throw new Error(`could not create the bench token: ${created.status} ${await created.text()}`);
  const tokenId = (await created.json())._id;

  // Warm both (JIT, connection pools, the checked broker's principal snapshot).
  await round(checked.url, tokenId, 500);
  await round(unchecked.url, tokenId, 500);

  const refusedMs = 1000;
  const roundMs = ((SECONDS - 1) * 1000 - refusedMs) / (2 * ROUNDS);
  const results = { checked: [], unchecked: [] };
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first so drift (thermal, GC, the emulator's growing state) hits both alike.
    const order = i % 2 === 0 ? ["checked", "unchecked"] : ["unchecked", "checked"];
    for (const mode of order) results[mode].push(await round(mode === "checked" ? checked.url : unchecked.url, tokenId, roundMs));
  }
  // The service token the reader broker may see but not delete; list once so the broker knows it.
  const serviceId = "5f1c00000000000000000009";
  await fetch(`${reader.url}/api/v2/tokens?limit=1000`).then((r) => r.arrayBuffer());
  const refused = summarize([await round(reader.url, serviceId, refusedMs, refusedCall)]);

  const on = summarize(results.checked);
  const off = summarize(results.unchecked);
  const pairRatios = results.checked.map((r, i) => r.latencies.length / r.ms / (results.unchecked[i].latencies.length / results.unchecked[i].ms));
  const line = (name, s) =>
    `${name.padEnd(22)} ${s.rps.toFixed(0).padStart(7)} req/s   p50 ${s.p50.toFixed(2).padStart(6)} ms   p99 ${s.p99.toFixed(2).padStart(6)} ms   (${s.requests} ok, ${s.failures} failed)`;
  console.log(
    `edge-broker loopback bench: ${CONCURRENCY} concurrent clients, ${ROUNDS}x2 rounds of ${(roundMs / 1000).toFixed(2)} s, ` +
      `${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)} (other work on the machine skews the figures)`,
  );
  console.log(line("check on", on));
  console.log(line("check off (EDGE_CHECK)", off));
  console.log(
    `throughput ratio on/off: ${(on.rps / off.rps).toFixed(3)} (median of round pairs ${median(pairRatios).toFixed(3)})   ` +
      `p99 ratio on/off: ${(on.p99 / off.p99).toFixed(3)}`,
  );
  console.log(line("refused at the edge", refused));
  if (on.failures + off.failures + refused.failures > 0) process.exitCode = 1;
} finally {
  agent.destroy();
  await Promise.all(children.map(stop));
}
