// Runs worker.mjs under `workerd test` with the installed package. workerd does not read node_modules, so the
// config lists the package's modules the way a bundler for workerd would: the entry the exports map gives for
// the `workerd` condition (resolved by Node with that condition), named "tokengate", and every file it loads.

import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { filesLoaded } from "../common/imports.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const resolved = execFileSync(process.execPath, ["-C", "workerd", "--input-type=module", "-e", 'console.log(import.meta.resolve("tokengate"))'], { cwd: HERE })
  .toString()
  .trim();
const entryFile = fileURLToPath(resolved);
const pkgDir = path.join(HERE, "node_modules/tokengate");
const entry = path.relative(pkgDir, entryFile);
const { files, missing } = filesLoaded(pkgDir, [entry], { declarations: false });
if (missing.length > 0) throw new Error(`the workerd entry loads files the package lacks: ${missing.map(([f]) => f).join(", ")}`);

// Module names follow the fixture's folders (worker.mjs imports ../common/checks.mjs). workerd resolves a bare
// specifier beside the importing module, so "tokengate" from workerd/worker.mjs is the module workerd/tokengate,
// and the files it loads are named relative to it.
const module = (file) => {
  const name = `workerd/${file === entry ? "tokengate" : file}`;
  const kind = file.endsWith(".wasm") ? "wasm" : "esModule";
  return `    (name = ${JSON.stringify(name)}, ${kind} = embed ${JSON.stringify(`node_modules/tokengate/${file}`)}),`;
};
writeFileSync(
  path.join(HERE, "config.capnp"),
  `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "workerd/worker.mjs", esModule = embed "worker.mjs"),
    (name = "common/checks.mjs", esModule = embed "../common/checks.mjs"),
${[...files.keys()].map(module).join("\n")}
  ],
  compatibilityDate = "2025-09-01",
);
`,
);

const run = spawnSync("workerd", ["test", "--no-verbose", "config.capnp"], { cwd: HERE, encoding: "utf8", timeout: 60_000 });
if (run.status === 0) {
  console.log(`  the workerd entry, ${entry}, and the ${files.size - 1} files it loads, as ${files.size} modules`);
  console.log("ok workerd");
} else {
  process.stderr.write(run.stdout + run.stderr + (run.error ? `${run.error}\n` : ""));
  console.error("FAILED workerd");
  process.exitCode = 1;
}
