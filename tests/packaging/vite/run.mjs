// Three pages bundled by Vite from the installed package, run in headless Chromium: `default/` imports
// "tokengate" (the browser entry, module inlined), `web/` imports "tokengate/web" and calls `init()`, and
// `checks/` imports "tokengate/checks" (the smaller module, inlined). Each page must print the right answers; the
// builds of the inlining entries must hold no `.wasm` (nothing would load it), and the checks page must download
// less than three quarters of what the default page does. Prints what each page downloads, gzipped, file by file.
//
// A ratchet on weight: `sizes.json` records what the "tokengate" and "tokengate/checks" pages download (gzip -9 of
// every file fetched), and a page that downloads more than its record (give or take `SLACK_BYTES`) fails. When a
// change makes a page lighter, the run says so and the new figure goes into `sizes.json`, which becomes the record.
//
// Needs TOKENGATE_REPO (the repository: www/'s Vite, the shared Chromium launcher); scripts/test-packaging.sh sets it.

import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

/** The recorded figures, in bytes gzipped, keyed like `PAGES`. */
const RECORD = JSON.parse(readFileSync(new URL("./sizes.json", import.meta.url), "utf8"));

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = process.env.TOKENGATE_REPO;
if (!REPO) throw new Error("TOKENGATE_REPO is not set");
const VITE = path.join(REPO, "www/node_modules/vite/dist/node/index.js");
const { build } = await import(pathToFileURL(VITE).href).catch(() => {
  throw new Error(`no Vite at ${VITE}: run bash www/build.sh first`);
});
const { launchChromium } = await import(pathToFileURL(path.join(REPO, "tests/support/js/browser.mjs")).href);

const PAGES = {
  default: 'a bundled page, import ... from "tokengate"',
  web: 'a bundled page, "tokengate/web" with init()',
  checks: 'a bundled page, import ... from "tokengate/checks"',
};
/** What each page downloaded, gzipped. */
const downloaded = {};
const DIST = path.join(HERE, "dist");
const wrong = [];

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

for (const page of Object.keys(PAGES)) {
  await build({
    root: path.join(HERE, page),
    configFile: false,
    logLevel: "warn",
    base: "./",
    build: { outDir: path.join(DIST, page), emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  });
}

// The default and checks entries carry their module inside JavaScript: a .wasm in their builds would be
// downloaded by nobody.
for (const page of ["default", "checks"]) {
  for (const f of filesUnder(path.join(DIST, page)).filter((f) => f.endsWith(".wasm"))) {
    wrong.push(`${page}: the build emitted ${path.basename(f)} (${statSync(f).size} bytes), which the page never loads`);
  }
}
const webWasm = filesUnder(path.join(DIST, "web")).filter((f) => f.endsWith(".wasm"));
if (webWasm.length !== 1) wrong.push(`web: expected one .wasm in the build, found ${webWasm.length}`);

// A static server over dist/ that records what it serves.
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };
let served = [];
const server = createServer((req, res) => {
  const file = path.join(DIST, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(DIST + path.sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
    res.writeHead(404).end();
    return;
  }
  const body = readFileSync(file);
  served.push({ file: path.relative(DIST, file), raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
try {
  for (const [page, what] of Object.entries(PAGES)) {
    served = [];
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.goto(`${origin}/${page}/index.html`);
    try {
      await tab.waitForSelector("body[data-done=yes]", { state: "attached", timeout: 20_000 });
      const out = await tab.textContent("#out");
      if (out !== "ok") wrong.push(...out.split("\n").map((line) => `${page}: ${line}`));
    } catch (e) {
      wrong.push(`${page}: the page did not finish: ${errors.join("; ") || e.message}`);
    }
    for (const e of errors) wrong.push(`${page}: page error: ${e}`);
    await tab.close();

    const total = served.reduce((sum, f) => sum + f.gzip, 0);
    downloaded[page] = total;
    console.log(`  ${what}: ${total} bytes gzipped (gzip -9) in ${served.length} files`);
    for (const f of served) console.log(`    ${f.file.padEnd(40)} raw ${String(f.raw).padStart(7)}  gzip ${String(f.gzip).padStart(7)}`);
  }
} finally {
  await browser.close();
  server.close();
}

// The point of tokengate/checks: a page that only checks permissions downloads the smaller module, not both.
if (!(downloaded.checks < downloaded.default * 0.75)) {
  wrong.push(`checks: the page downloaded ${downloaded.checks} bytes gzipped, not less than three quarters of the default page's ${downloaded.default}`);
}

// Two builds of the same commit in different directories have differed by up to a dozen bytes here (a clean clone
// against the working tree); growth within this slack is noise, not a regression.
const SLACK_BYTES = 128;
for (const [page, record] of Object.entries(RECORD.pages)) {
  const now = downloaded[page];
  if (now > record + SLACK_BYTES) {
    wrong.push(`${page}: the page downloads ${now} bytes gzipped, more than the ${record} recorded in tests/packaging/vite/sizes.json (and its ${SLACK_BYTES} bytes of slack)`);
  } else if (now < record - SLACK_BYTES) {
    console.log(`  ${page}: ${now} bytes gzipped, ${record - now} under the record: write ${now} into tests/packaging/vite/sizes.json`);
  }
}

if (wrong.length === 0) {
  console.log("ok vite");
} else {
  for (const line of wrong) console.error(`  ${line}`);
  console.error("FAILED vite");
  process.exitCode = 1;
}
