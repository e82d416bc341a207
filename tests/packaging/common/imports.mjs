// The files a package's entry points load, followed from file to file: what the tarball must hold for every
// entry to work. Scripts by their relative imports, requires, `new URL("...", import.meta.url)` and
// `${__dirname}/...` paths (how wasm-bindgen's Node glue reads the .wasm); declaration files by their imports
// and references (`./x.js` is typed by `./x.d.ts`, `.mjs` by `.d.mts`, `.cjs` by `.d.cts`).
//
//   node imports.mjs DIR    checks that everything DIR's package.json points to, and all they load, is in DIR

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPT_SPECIFIERS = [
  /\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  /\bnew URL\(\s*["']([^"':]+)["']\s*,\s*import\.meta\.url\s*\)/g,
  /@ts-self-types="([^"]+)"/g,
  /\$\{__dirname\}\/([^`"'$]+)/g,
];
const DECLARATION_SPECIFIERS = [
  /\bfrom\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  /\/\/\/\s*<reference\s+path="([^"]+)"/g,
];

const isDeclaration = (file) => /\.d\.[mc]?ts$/.test(file);

/** The declaration file TypeScript reads for `specifier` imported from a declaration file. */
function declarationFor(specifier) {
  if (/\.d\.[mc]?ts$/.test(specifier)) return specifier;
  const match = /^(.*)\.([mc]?)js$/.exec(specifier);
  return match ? `${match[1]}.d.${match[2]}ts` : `${specifier}.d.ts`;
}

/** What `file` loads: paths relative to the package folder. Bare specifiers (`node:fs`) are not followed. */
function loadedBy(dir, file) {
  const text = readFileSync(path.join(dir, file), "utf8");
  const found = [];
  for (const pattern of isDeclaration(file) ? DECLARATION_SPECIFIERS : SCRIPT_SPECIFIERS) {
    for (const [whole, specifier] of text.matchAll(pattern)) {
      // `new URL("x.wasm", import.meta.url)` is relative without a leading "./"; imports are only when they have one.
      const relative = specifier.startsWith(".") || /^(new URL|@ts-self-types|\$\{__dirname\})/.test(whole);
      if (!relative) continue;
      const target = isDeclaration(file) && !whole.startsWith("///") ? declarationFor(specifier) : specifier;
      found.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), target)));
    }
  }
  return found;
}

/** Every path in a package.json's exports map (all conditions), main, module, types and browser. */
export function entryPoints(manifest) {
  const paths = new Set();
  const walk = (value) => {
    if (typeof value === "string") paths.add(path.posix.normalize(value));
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  for (const field of ["main", "module", "types", "typings", "browser"]) walk(manifest[field]);
  return [...paths];
}

/**
 * The files `entries` (paths relative to `dir`) load, transitively, the entries included: a Map from each file
 * to the file that first loaded it (null for an entry). `missing` lists [file, loaded by] pairs not in `dir`.
 * With `{ declarations: false }`, only what runs: no declaration files.
 */
export function filesLoaded(dir, entries, { declarations = true } = {}) {
  const seen = new Map();
  const missing = [];
  const queue = entries.map((file) => [file, null]);
  while (queue.length > 0) {
    const [file, from] = queue.shift();
    if (seen.has(file) || (!declarations && isDeclaration(file))) continue;
    seen.set(file, from);
    if (!existsSync(path.join(dir, file))) {
      missing.push([file, from]);
      continue;
    }
    if (/\.(m|c)?js$|\.d\.[mc]?ts$/.test(file)) {
      for (const next of loadedBy(dir, file)) queue.push([next, file]);
    }
  }
  return { files: seen, missing };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const { files, missing } = filesLoaded(dir, entryPoints(manifest));
  for (const [file, from] of missing) console.error(`  missing: ${file}${from ? ` (loaded by ${from})` : " (an entry point)"}`);
  if (missing.length > 0) {
    console.error(`FAILED tarball contents: ${missing.length} of the ${files.size} files the entry points load are not in it`);
    process.exit(1);
  }
  console.log(`  every file the entry points load is in the tarball (${files.size} files)`);
}
