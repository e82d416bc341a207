// Where things are in the repository, for every JavaScript test suite: the root, and the pinned npm tools
// (tools/package.json: playwright-core, Prism, workerd, LaunchDarkly's client, TypeScript...), which belong to the
// repository's tests and not to the package or the demo page.

import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** `require` of a package installed in tools/ (scripts/setup.sh runs `npm ci` there). */
export const requireTool = createRequire(path.join(REPO_ROOT, "tools/package.json"));

/** The path of an executable installed by tools/ (tools/node_modules/.bin/NAME). */
export function toolBin(name) {
  return path.join(REPO_ROOT, "tools/node_modules/.bin", name);
}
