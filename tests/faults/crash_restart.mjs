// Crash-restart check of the emulator's `--data` directory: stream writes (creates, two-field patches, resets,
// deletes) from several concurrent writers, `kill -9` the emulator at a random moment, restart it on the same
// directory, and check that every write that was acknowledged is there, that writes caught in flight were
// applied entirely or not at all, and that nothing appeared that was never asked for. Then check that a
// second emulator refuses a directory that one is already using.
//
//   node tests/faults/crash_restart.mjs <emulator binary> [cycles]
//
// Prints one line per cycle and a final JSON summary line (`summary {...}`); exits non-zero on any violation.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoSecret, spawnProcess, startEmulator, stop as stopProcess } from "../support/js/processes.mjs";

const binary = process.argv[2];
const cycles = Number(process.argv[3] ?? process.env.CRASH_CYCLES ?? 10);
const WRITERS = 4;
const START_TIMEOUT_MS = 20_000;
if (!binary) {
  console.error("usage: crash_restart.mjs <tokengate-emulator binary> [cycles]");
  process.exit(2);
}

// Deterministic randomness, so a failing run can be repeated with CRASH_SEED.
let seed = Number(process.env.CRASH_SEED ?? 20261128) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const failures = [];
/// Every emulator started on the directory, to scan what each printed after its startup banner for secrets.
const emulators = [];
/// Every whole secret this run received (creates and resets).
const issuedSecrets = new Set();
function violation(message) {
  failures.push(message);
  console.error(`VIOLATION: ${message}`);
}

// ---- the emulator process ----

async function start(dataDir) {
  const emulator = await startEmulator(["--data", dataDir], { binary, timeoutMs: START_TIMEOUT_MS });
  emulators.push(emulator);
  return emulator;
}

/// What an emulator printed after its startup banner (request logs, warnings): stdout past the address line,
/// and all of stderr.
function afterBanner({ output }) {
  const end = output.stdout.indexOf("\n", output.stdout.indexOf("listening on")) + 1;
  return output.stdout.slice(end) + output.stderr;
}

function killHard(emulator) {
  return stopProcess(emulator.child, { signal: "SIGKILL" });
}

// ---- HTTP ----

async function call(base, secret, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: {
      Authorization: secret,
      "LD-API-Version": "20240415",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

// ---- what the client knows ----
//
// Each token this run creates is tracked by its unique name prefix. `state` is the last acknowledged state;
// `pending` is a write sent but not answered when the emulator died (at most one per token: each token has
// one writer, which waits for each answer).

const tracked = new Map(); // id -> { id, version, deleted, secret, pending }
const pendingCreates = new Map(); // name -> body (creates in flight)
const tally = { acknowledged: 0, found: 0, inFlight: 0, inFlightApplied: 0, creates: 0, patches: 0, resets: 0, deletes: 0 };

let nameCounter = 0;
let currentCycle = 0;

async function writer(base, owner, stop) {
  while (!stop.stopped) {
    const live = [...tracked.values()].filter((t) => !t.deleted && !t.pending && !t.busy);
    const roll = random();
    try {
      if (live.length < 3 || roll < 0.35) {
        const name = `crash-${process.pid}-${nameCounter++}`;
        const body = { name, description: "v0", role: "reader" };
        pendingCreates.set(name, body);
        const res = await call(base, owner, "POST", "/api/v2/tokens", body);
        pendingCreates.delete(name);
        if (res.status !== 201) throw new Error(`create answered ${res.status} ${JSON.stringify(res.json)}`);
        tracked.set(res.json._id, {
          id: res.json._id,
          name,
          version: 0,
          deleted: false,
          secret: res.json.token,
          history: [`created in cycle ${currentCycle} (secret …${res.json.token.slice(-4)})`],
        });
        issuedSecrets.add(res.json.token);
        tally.creates++;
        tally.acknowledged++;
        continue;
      }
      const token = live[Math.floor(random() * live.length)];
      token.busy = true;
      if (roll < 0.75) {
        // Two fields in one patch: after a crash both must carry the same version, or the patch was torn.
        const next = token.version + 1;
        token.pending = { kind: "patch", version: next };
        const res = await call(base, owner, "PATCH", `/api/v2/tokens/${token.id}`, [
          { op: "replace", path: "/name", value: `${token.name}@${next}` },
          { op: "replace", path: "/description", value: `v${next}` },
        ]);
        if (res.status !== 200) throw new Error(`patch answered ${res.status} ${JSON.stringify(res.json)}`);
        token.version = next;
        token.history.push(`patch ${next} acknowledged in cycle ${currentCycle}`);
        tally.patches++;
      } else if (roll < 0.9) {
        token.pending = { kind: "reset" };
        const res = await call(base, owner, "POST", `/api/v2/tokens/${token.id}/reset`);
        if (res.status !== 200) throw new Error(`reset answered ${res.status} ${JSON.stringify(res.json)}`);
        token.secret = res.json.token;
        token.history.push(`reset acknowledged in cycle ${currentCycle} (secret …${res.json.token.slice(-4)})`);
        issuedSecrets.add(res.json.token);
        tally.resets++;
      } else {
        token.pending = { kind: "delete" };
        const res = await call(base, owner, "DELETE", `/api/v2/tokens/${token.id}`);
        if (res.status !== 204) throw new Error(`delete answered ${res.status}`);
        token.deleted = true;
        tally.deletes++;
      }
      token.pending = undefined;
      token.busy = false;
      tally.acknowledged++;
    } catch (error) {
      if (stop.stopped) return; // the emulator was killed under this request: it stays pending
      throw error;
    }
  }
}

async function listAll(base, owner) {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const res = await call(base, owner, "GET", `/api/v2/tokens?limit=1000&offset=${offset}`);
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    items.push(...res.json.items);
    if (items.length >= res.json.totalCount || res.json.items.length === 0) return items;
  }
}

/// Checks the restarted emulator against what was acknowledged, then settles in-flight writes to what the
/// emulator shows (each one whole or absent) so that the next cycle starts from a known state.
async function verify(base, owner) {
  const listed = await listAll(base, owner);
  const byId = new Map(listed.filter((t) => t.name?.startsWith(`crash-${process.pid}-`)).map((t) => [t._id, t]));

  for (const token of tracked.values()) {
    const seen = byId.get(token.id);
    byId.delete(token.id);
    const pending = token.pending;
    // Settled here, whatever the outcome: a write is in flight at one crash only.
    token.pending = undefined;
    if (pending) tally.inFlight++;
    if (token.deleted) {
      if (seen) violation(`acknowledged delete of ${token.id} undone`);
      continue;
    }
    if (!seen) {
      if (pending?.kind === "delete") {
        token.deleted = true;
        tally.inFlightApplied++;
      } else violation(`acknowledged token ${token.id} (${token.name}) missing`);
      continue;
    }
    tally.found++;
    const nameVersion = seen.name === token.name ? 0 : Number(seen.name.slice(token.name.length + 1));
    const descVersion = Number(seen.description?.slice(1));
    if (!seen.name.startsWith(token.name) || nameVersion !== descVersion) {
      violation(`torn patch on ${token.id}: name ${seen.name}, description ${seen.description}`);
    } else if (nameVersion === token.version) {
      // as acknowledged
    } else if (pending?.kind === "patch" && nameVersion === pending.version) {
      token.version = nameVersion;
      token.history.push(`in-flight patch ${nameVersion} found applied after cycle ${currentCycle}`);
      tally.inFlightApplied++;
    } else {
      violation(`${token.id} is at version ${nameVersion}, acknowledged ${token.version}`);
    }
    if (seen.role !== "reader" || seen.inlineRole?.length || seen.customRoleIds?.length) {
      violation(`${token.id} permissions changed: ${JSON.stringify(seen)}`);
    }
    // The last acknowledged secret must still authenticate (an in-flight reset may have replaced it). A token
    // whose current secret nobody received (created or reset in flight) has nothing to check.
    if (!token.secret) {
      token.pending = undefined;
      continue;
    }
    const who = await call(base, token.secret, "GET", "/api/v2/caller-identity");
    if (who.status === 200) {
      if (who.json.tokenId !== token.id) violation(`secret of ${token.id} authenticates as ${who.json.tokenId}`);
    } else if (pending?.kind === "reset") {
      token.history.push(`in-flight reset found applied after cycle ${currentCycle}`);
      token.secret = null; // replaced by a secret nobody received; the token can no longer be used as itself
      tally.inFlightApplied++;
    } else {
      violation(
        `acknowledged secret …${token.secret.slice(-4)} of ${token.id} no longer authenticates (${who.status}); ` +
          `pending: ${JSON.stringify(pending)}; history: ${token.history.join("; ")}`,
      );
    }
    token.pending = undefined;
    token.busy = token.secret === null; // a token without a usable secret is left alone
  }
  for (const [id, seen] of byId) {
    // Only an in-flight create may appear unacknowledged, and then whole.
    const body = pendingCreates.get(seen.name);
    if (!body) {
      violation(`token ${id} (${seen.name}) appeared without being created`);
      continue;
    }
    pendingCreates.delete(seen.name);
    if (seen.description !== body.description || seen.role !== body.role) {
      violation(`in-flight create ${seen.name} half applied: ${JSON.stringify(seen)}`);
    }
    tally.inFlight++;
    tally.inFlightApplied++;
    // Its secret was never received: track it without one, and leave it alone.
    tracked.set(id, {
      id,
      name: seen.name,
      version: 0,
      deleted: false,
      secret: null,
      busy: true,
      history: [`created in flight before cycle ${currentCycle}'s crash`],
    });
  }
  tally.inFlight += pendingCreates.size;
  pendingCreates.clear();
  for (const token of tracked.values()) if (token.secret) token.busy = false;
}

async function lockCheck(dataDir, owner) {
  const first = await start(dataDir);
  const second = spawnProcess(binary, ["--listen", "127.0.0.1:0", "--seed", "demo", "--data", dataDir]);
  let stillRunning = false;
  const timer = setTimeout(() => {
    stillRunning = true;
    stopProcess(second.child, { signal: "SIGKILL" });
  }, 10_000);
  const exit = await second.exited;
  clearTimeout(timer);
  const code = stillRunning ? "still running" : exit.code;
  const output = second.output.stdout + second.output.stderr;
  if (code === 0 || code === "still running" || /listening on/.test(output)) {
    violation(`a second emulator on the same --data did not refuse (exit ${code}): ${output}`);
  } else if (!/in use/.test(output)) {
    violation(`the second emulator refused without saying the directory is in use: ${output}`);
  }
  // The first one is unaffected.
  const still = await call(first.url, owner, "GET", "/api/v2/caller-identity").catch((e) => ({ status: String(e) }));
  if (still.status !== 200) violation(`the first emulator stopped answering after the refusal (${still.status})`);
  await killHard(first);
  return code;
}

const dataDir = mkdtempSync(join(tmpdir(), "tokengate-crash-"));
const started = Date.now();
try {
  // The first start seeds the directory and prints the demo secrets; later starts resume silently.
  let running = await start(dataDir);
  const owner = demoSecret(running, "Owner console");
  for (let cycle = 1; cycle <= cycles; cycle++) {
    currentCycle = cycle;
    const stop = { stopped: false };
    const writers = Array.from({ length: WRITERS }, () => writer(running.url, owner, stop));
    const errors = [];
    writers.forEach((w) => w.catch((e) => errors.push(e)));
    await new Promise((r) => setTimeout(r, 300 + random() * 1200));
    stop.stopped = true;
    await killHard(running);
    await Promise.allSettled(writers);
    for (const e of errors) violation(`writer failed while the emulator was up: ${e.message}`);
    const before = tally.acknowledged;
    running = await start(dataDir);
    await verify(running.url, owner);
    console.log(
      `cycle ${cycle}/${cycles}: ${before} writes acknowledged so far, ${tally.found} acknowledged tokens checked, ` +
        `${tally.inFlight} in flight at crashes (${tally.inFlightApplied} applied whole)`,
    );
  }
  await killHard(running);
  const refusal = await lockCheck(dataDir, owner);
  // No secret the emulator issued may appear in anything it printed (its request log included).
  await Promise.all(emulators.map((e) => e.exited));
  const printed = emulators.map(afterBanner).join("");
  for (const secret of issuedSecrets) {
    if (printed.includes(secret) || printed.includes(secret.slice(4))) violation(`the emulator printed a secret it issued`);
  }
  if (printed.includes(owner.slice(4))) violation("the emulator printed the caller's secret");
  const summary = {
    cycles,
    writesAcknowledged: tally.acknowledged,
    creates: tally.creates,
    patches: tally.patches,
    resets: tally.resets,
    deletes: tally.deletes,
    tokensVerified: tally.found,
    inFlightAtCrash: tally.inFlight,
    inFlightAppliedWhole: tally.inFlightApplied,
    secondProcessExit: refusal,
    secretsScanned: issuedSecrets.size + 1,
    emulatorOutputBytes: printed.length,
    violations: failures.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  console.log(`summary ${JSON.stringify(summary)}`);
} catch (error) {
  violation(error.stack ?? String(error));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failures.length === 0 ? 0 : 1);
