// The built npm package (pkg/, made by scripts/build-pkg.sh), for the suites that use it: where it is, its Node
// entry point, and a link that makes `import ... from "tokengate"` resolve to it from a test folder with the
// package's own exports map, the way an installed dependency does.
//
//   node tests/support/js/package.mjs DIR...     links the package into each DIR (as linkPackage does)

import { existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./repo.mjs";

/** The built package's folder. */
export const PKG_DIR = path.join(REPO_ROOT, "pkg");
/** The module suites that import the package by path load: `$TOKENGATE_PKG` (another build), else pkg/index.mjs. */
export const PKG_ENTRY = process.env.TOKENGATE_PKG ?? path.join(PKG_DIR, "index.mjs");

/** Throws, saying how to build it, when pkg/ is not there. */
export function assertPackageBuilt() {
  if (!existsSync(path.join(PKG_DIR, "package.json"))) {
    throw new Error("pkg/ is not built: run scripts/build-pkg.sh first");
  }
}

/**
 * Makes the built package resolvable as `tokengate` from `dir` (a path, or a file URL such as
 * `new URL(".", import.meta.url)`): DIR/node_modules/tokengate, a relative link to pkg/. Idempotent, and safe when
 * several test files link the same folder at once; a link pointing anywhere else is replaced.
 */
export function linkPackage(dir) {
  assertPackageBuilt();
  const folder = dir instanceof URL ? fileURLToPath(dir) : dir;
  const modules = path.join(folder, "node_modules");
  const link = path.join(modules, "tokengate");
  const target = path.relative(modules, PKG_DIR);
  const current = () => {
    try {
      return readlinkSync(link);
    } catch {
      return null;
    }
  };
  mkdirSync(modules, { recursive: true });
  const found = current();
  if (found === target) return;
  if (found !== null) rmSync(link, { force: true });
  try {
    symlinkSync(target, link, "dir");
  } catch (error) {
    // Another test file made the same link meanwhile.
    if (error.code !== "EEXIST" || current() !== target) throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error("usage: node tests/support/js/package.mjs DIR...");
    process.exit(2);
  }
  for (const dir of dirs) linkPackage(path.resolve(dir));
}
