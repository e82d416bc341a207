// Makes the built package (pkg/) resolvable as `tokengate` from this directory, the way an installed
// dependency is: tests/js/node_modules/tokengate -> ../../../pkg. Idempotent; also run by the type check.
import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const pkgDir = fileURLToPath(new URL("../../pkg/", import.meta.url));
const modules = fileURLToPath(new URL("./node_modules/", import.meta.url));
const link = `${modules}tokengate`;

export function linkPackage() {
  if (!existsSync(`${pkgDir}package.json`)) {
    throw new Error("pkg/ is not built: run scripts/build-pkg.sh first");
  }
  mkdirSync(modules, { recursive: true });
  let present = false;
  try {
    present = lstatSync(link).isSymbolicLink();
  } catch {}
  if (!present) symlinkSync("../../../pkg", link, "dir");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) linkPackage();
