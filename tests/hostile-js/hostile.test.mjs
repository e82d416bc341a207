// Hostile input across the WebAssembly boundary: every exported function and method of the built package is
// called with wrong types (numbers, null, undefined, arrays for objects, objects for arrays), huge strings,
// deeply nested JSON, cyclic objects, throwing getters, proxies, and 100,000-statement policies (see
// cases.mjs). Each call must return or throw a typed error (`PolicyError` / `ApiError`, also as a promise
// rejection, or the package's `TypeError` with `code` "invalid_argument") within a time bound, and the module must
// still answer correctly afterwards. A WebAssembly trap, any other `TypeError` (from the glue, say), a broken
// module or a timeout fails, with every such case listed. So does a fail-open: every `allowed` answer a case gets
// (from `evaluate`, a principal's `can`/`explain`, the checks listed by `checkAction`/`checkPatch`/`checkCreate`/
// `checkReset`, `permittedActions`) is held to the reference (reference.mjs, the differential test's reading of
// the spec in JavaScript; judge.mjs watches the calls), and one the reference does not give as allowed fails.
//
// Cases run in worker threads, each with its own instance of the package: a trap leaves an instance unusable,
// so the sweep resumes in a fresh worker and one bad case cannot hide the others. The same inputs reach the core
// natively in the Rust `hostile` test target (`cargo test --test hostile`). The checks module
// (`tokengate/checks`, built without the client and the analyses) gets the same sweep over what it has.
//
//   node --test tests/hostile-js/                       (needs pkg/ from scripts/build-pkg.sh)
//   TOKENGATE_PKG=/path/to/index.mjs node --test ...     HOSTILE_CASE_TIMEOUT_MS=20000 (per case)

import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { PKG_ENTRY as pkgPath } from "../support/js/package.mjs";
import { buildCases, classify, CHECKS_SURFACE, MEMBER, SURFACE, TOKEN } from "./cases.mjs";

const CASE_TIMEOUT_MS = Number(process.env.HOSTILE_CASE_TIMEOUT_MS ?? 20_000);
/// Error messages quote input for context; one that echoes megabytes of it is a problem of its own.
const MAX_MESSAGE = 4096;
const tg = await import(pathToFileURL(pkgPath).href);
/// The checks module's Node entry, beside the main one (`tokengate/checks`): the same sweep, its cases only.
const checksPath = path.join(path.dirname(pkgPath), "checks/index.mjs");

test("the exported surface is what the hostile cases cover", () => {
  const exported = Object.keys(tg).filter((k) => !["ApiError", "PolicyError", "default"].includes(k));
  assert.deepEqual(
    exported.sort(),
    ["Policy", "Principal", "TokensClient", "auditTokens", "comparePolicies", "evaluate", "parseResource", "validatePolicy"],
    "a new export needs hostile cases",
  );
  for (const [cls, prefix] of [
    [tg.TokensClient, "client"],
    [tg.Principal, "principal"],
    [tg.Policy, "policy"],
  ]) {
    for (const method of Object.getOwnPropertyNames(cls.prototype)) {
      const desc = Object.getOwnPropertyDescriptor(cls.prototype, method);
      if (method === "constructor" || method === "free" || method.startsWith("__") || desc.get || typeof desc.value !== "function") continue;
      assert.ok(SURFACE.some(([name]) => name === `${prefix}.${method}`), `${prefix}.${method} is not covered`);
    }
  }
});

test("the checks module's surface is the checks' part of the cases, and nothing of the client or the analyses", async () => {
  const checks = await import(pathToFileURL(checksPath).href);
  const exported = Object.keys(checks).filter((k) => !["ApiError", "PolicyError", "default"].includes(k));
  assert.deepEqual(exported.sort(), ["Policy", "Principal", "evaluate", "parseResource", "validatePolicy"]);
  for (const method of Object.getOwnPropertyNames(checks.Principal.prototype)) {
    const desc = Object.getOwnPropertyDescriptor(checks.Principal.prototype, method);
    if (method === "constructor" || method === "free" || method.startsWith("__") || desc.get || typeof desc.value !== "function") continue;
    assert.ok(CHECKS_SURFACE.includes(`principal.${method}`), `principal.${method} is not covered for the checks module`);
  }
  for (const name of CHECKS_SURFACE.filter((n) => n.startsWith("principal."))) {
    assert.equal(typeof checks.Principal.prototype[name.slice("principal.".length)], "function", `the checks module lacks ${name}`);
  }
});

/// Runs every case, restarting a worker after a trap or a timeout. Resolves with one record per case.
function sweep(total, { entry = pkgPath, checksOnly = false } = {}) {
  const records = [];
  return new Promise((resolve) => {
    const startWorker = (start) => {
      if (start >= total) return resolve(records);
      const worker = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { pkgPath: entry, checksOnly, start } });
      let next = start;
      let timer;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          records.push({ index: next, label: `case ${next}`, kind: "timeout", detail: `no answer in ${CASE_TIMEOUT_MS} ms` });
          worker.terminate().then(() => startWorker(next + 1));
        }, CASE_TIMEOUT_MS);
      };
      arm();
      worker.on("message", (message) => {
        if (message.done) {
          clearTimeout(timer);
          worker.terminate().then(() => resolve(records));
          return;
        }
        records.push(message);
        next = message.index + 1;
        if (message.kind === "trap" || message.kind === "broke") {
          clearTimeout(timer);
          worker.terminate().then(() => startWorker(next));
        } else {
          arm();
        }
      });
      worker.on("error", (error) => {
        clearTimeout(timer);
        records.push({ index: next, label: `case ${next}`, kind: "crash", detail: String(error?.message ?? error) });
        startWorker(next + 1);
      });
    };
    startWorker(0);
  });
}

/// Runs the sweep over `entry`'s module and fails listing every case not answered or refused with a typed error.
async function sweepAndCheck(what, { minChecked, ...options }) {
  const cases = buildCases(options);
  const labels = cases.map(([label]) => label);
  const records = await sweep(cases.length, options);
  const counts = {};
  for (const r of records) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  const slowest = records.reduce((a, b) => ((b.ms ?? 0) > (a.ms ?? 0) ? b : a), { ms: 0 });
  const checked = records.reduce((sum, r) => sum + (r.checked ?? 0), 0);
  console.log(
    `hostile inputs, ${what}: ${records.length} of ${cases.length} cases; outcomes ${JSON.stringify(counts)}; ` +
      `${checked} allowed answers held to the reference; slowest ${slowest.ms} ms (${slowest.label})`,
  );
  const bad = records
    .filter((r) => !["typed", "returned"].includes(r.kind) || r.messageLength > MAX_MESSAGE)
    .map((r) => {
      const label = labels[r.index] ?? r.label;
      const why = r.messageLength > MAX_MESSAGE ? `error message of ${r.messageLength} characters` : r.detail;
      return `  ${r.kind.padEnd(8)} ${label}: ${why}`;
    });
  assert.equal(records.length, cases.length, "some cases never ran");
  // The judging means little unless the sweep gets allowed answers to judge.
  assert.ok(checked >= minChecked, `only ${checked} allowed answers were held to the reference (at least ${minChecked})`);
  assert.equal(bad.length, 0, `${bad.length} hostile inputs were not handled:\n${bad.join("\n")}`);
}

test("every hostile input is answered or refused with a typed error, and the module survives", { timeout: 30 * 60_000 }, async () => {
  await sweepAndCheck("the main module", { minChecked: 3_000 });
});

test("the same of the checks module (tokengate/checks)", { timeout: 30 * 60_000 }, async () => {
  await sweepAndCheck("the checks module", { entry: checksPath, checksOnly: true, minChecked: 3_000 });
});

test("the package's coded TypeError counts as typed, any other TypeError does not", () => {
  let thrown;
  try {
    tg.evaluate(42, "a", "b");
  } catch (error) {
    thrown = error;
  }
  assert.equal(classify(tg, thrown)[0], "typed");
  assert.equal(classify(tg, new TypeError("x is not a function"))[0], "untyped");
  assert.equal(classify(tg, Object.assign(new Error("x"), { code: "invalid_argument" }))[0], "untyped");
  assert.equal(classify(tg, Object.assign(new TypeError("x"), { code: "other" }))[0], "untyped");
  const freed = tg.Principal.fromToken(TOKEN, { member: MEMBER });
  freed.free();
  let thrownByFreed;
  try {
    freed.can("viewProject", "proj/x");
  } catch (error) {
    thrownByFreed = error;
  }
  assert.ok(thrownByFreed instanceof TypeError);
  assert.equal(thrownByFreed.code, "freed");
  assert.equal(classify(tg, thrownByFreed)[0], "typed");
});

test("errors are real, catchable Errors with a stable shape", () => {
  try {
    tg.parseResource("proj/a:");
    assert.fail("no error");
  } catch (error) {
    assert.ok(error instanceof tg.PolicyError && error instanceof Error);
    assert.equal(error.code, "missing_type");
    assert.deepEqual(error.span, { start: 6, end: 7 });
    assert.equal(typeof error.stack, "string");
  }
  try {
    tg.evaluate(42, "a", "b");
    assert.fail("no error");
  } catch (error) {
    assert.ok(error instanceof TypeError && !(error instanceof tg.PolicyError));
    assert.equal(error.code, "invalid_argument");
    assert.equal(error.message, "statements must be an array of statements");
    assert.equal(typeof error.stack, "string");
  }
  try {
    new tg.TokensClient({});
    assert.fail("no error");
  } catch (error) {
    assert.ok(error instanceof tg.ApiError && error instanceof Error);
    assert.equal(error.code, "invalid_argument");
    assert.equal(error.status, 0);
  }
});
