// Runs hostile cases from `start` in this thread's own instance of the package, reporting each outcome to
// the parent. Stops at the first trap or untyped error: after a WebAssembly trap the instance is unusable,
// so the parent starts a fresh worker for the rest.
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { buildCases, classify, stillWorks } from "./cases.mjs";

const tg = await import(pathToFileURL(workerData.pkgPath).href);
const cases = buildCases({ checksOnly: workerData.checksOnly });

for (let index = workerData.start; index < cases.length; index++) {
  const [label, run] = cases[index];
  const started = Date.now();
  let outcome;
  try {
    const result = run(tg);
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
  const [kind, detail, messageLength = 0] = outcome;
  parentPort.postMessage({ index, label, kind, detail, messageLength, ms: Date.now() - started });
  // The parent replaces a broken instance with a fresh worker; only a sweep that reached the end says done.
  if (kind === "trap" || kind === "broke") process.exit(0);
}
parentPort.postMessage({ done: true });
