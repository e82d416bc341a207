// Runs hostile cases from `start` in this thread's own instance of the package, reporting each outcome to
// the parent. Stops at the first trap or untyped error: after a WebAssembly trap the instance is unusable,
// so the parent starts a fresh worker for the rest. Every allowed answer a case gets is held to the reference
// (judge.mjs); a case with an answer the reference does not allow is reported as a fail-open.
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { buildCases, classify, stillWorks } from "./cases.mjs";
import { createJudge } from "./judge.mjs";

const tg = await import(pathToFileURL(workerData.pkgPath).href);
const cases = buildCases({ checksOnly: workerData.checksOnly });
const judge = createJudge();
const observed = judge.observe(tg);

for (let index = workerData.start; index < cases.length; index++) {
  const [label, run] = cases[index];
  const started = Date.now();
  let outcome;
  try {
    const result = run(observed);
    if (result && typeof result.then === "function") await result;
    outcome = ["returned", ""];
  } catch (error) {
    outcome = classify(tg, error);
  }
  if (outcome[0] !== "trap") {
    try {
      stillWorks(tg);
    } catch (error) {
      outcome = ["broke", `${outcome[0]} but then ${error.message}`];
    }
  }
  const { checked, failures } = judge.take();
  // A fail-open outranks how the case ended: it is the worse problem, and the module still works.
  if (failures.length && outcome[0] !== "trap" && outcome[0] !== "broke") {
    outcome = ["fail-open", failures.join("\n      ")];
  }
  const [kind, detail, messageLength = 0] = outcome;
  parentPort.postMessage({ index, label, kind, detail, messageLength, checked, ms: Date.now() - started });
  // The parent replaces a broken instance with a fresh worker; only a sweep that reached the end says done.
  if (kind === "trap" || kind === "broke") process.exit(0);
}
parentPort.postMessage({ done: true });
