// Runs worker.mjs under `workerd test` with the installed package. workerd does not read node_modules, so the
// config lists the package's modules the way a bundler for workerd would: the entries the exports map gives for
// the `workerd` condition (resolved by Node with that condition), named "tokengate" and "tokengate/checks", and
// every file they load.

import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { filesLoaded } from "../common/imports.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.join(HERE, "node_modules/tokengate");

/** The file the exports map gives `specifier` under the `workerd` condition (resolved by Node with it). */
function workerdEntry(specifier) {
  const resolved = execFileSync(process.execPath, ["-C", "workerd", "--input-type=module", "-e", `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`], { cwd: HERE })
    .toString()
    .trim();
  return path.relative(pkgDir, fileURLToPath(resolved));
}

// Module names follow the fixture's folders (worker.mjs imports ../common/checks.mjs). workerd resolves a bare
// specifier beside the importing module, so "tokengate" from workerd/worker.mjs is the module workerd/tokengate,
// and "tokengate/checks" is workerd/tokengate/checks; the files each loads are named relative to it (the checks
// entry's `./install.mjs` is workerd/tokengate/install.mjs, its `../errors.mjs` workerd/errors.mjs).
const names = new Map();
for (const [specifier, base] of [["tokengate", "workerd"], ["tokengate/checks", "workerd/tokengate"]]) {
  const entry = workerdEntry(specifier);
  const { files, missing } = filesLoaded(pkgDir, [entry], { declarations: false });
  if (missing.length > 0) throw new Error(`the workerd entry of ${specifier} loads files the package lacks: ${missing.map(([f]) => f).join(", ")}`);
  const entryDir = path.posix.dirname(entry);
  for (const file of files.keys()) {
    const name = file === entry ? `workerd/${specifier}` : path.posix.normalize(`${base}/${path.posix.relative(entryDir, file)}`);
    names.set(name, file);
  }
  console.log(`  the workerd entry of ${specifier}, ${entry}, and the ${files.size - 1} files it loads`);
}
const module = ([name, file]) => {
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
${[...names].map(module).join("\n")}
  ],
  compatibilityDate = "2025-09-01",
);
`,
);

const run = spawnSync("workerd", ["test", "--no-verbose", "config.capnp"], { cwd: HERE, encoding: "utf8", timeout: 60_000 });
if (run.status === 0) {
  console.log(`  ${names.size} modules of the package`);
  console.log("ok workerd");
} else {
  process.stderr.write(run.stdout + run.stderr + (run.error ? `${run.error}\n` : ""));
  console.error("FAILED workerd");
  process.exitCode = 1;
}
