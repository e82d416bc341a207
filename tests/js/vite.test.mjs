// `import { TokensClient, evaluate } from "tokengate"` in an application bundled by Vite, unchanged: no plugin,
// no asset rule, no init call. A tiny app is built with the Vite the demo console uses (www/node_modules), served
// by the emulator from the same origin, and run in headless Chromium, where it evaluates a policy offline and
// calls the API.
//
//   scripts/build-pkg.sh && cargo build -p tokengate-emulator && (cd www && npm ci) && node --test tests/js/

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../support/js/browser.mjs";
import { PKG_DIR } from "../support/js/package.mjs";
import { EMULATOR, REPO_ROOT, startEmulator } from "../support/js/processes.mjs";

const VITE = path.join(REPO_ROOT, "www/node_modules/vite/dist/node/index.js");

// The application: exactly the import a user writes. It exposes one function for the test to call with a
// secret; the page itself holds no token.
const MAIN = `
import { TokensClient, evaluate } from "tokengate";

window.runChecks = async (secret) => {
  const policy = [
    { effect: "allow", resources: ["proj/*"], actions: ["*"] },
    { effect: "deny", resources: ["proj/prod"], actions: ["deleteProject"] },
  ];
  const refused = evaluate(policy, "deleteProject", "proj/prod");
  const client = new TokensClient({ token: secret, baseUrl: location.origin, maxRetries: 0 });
  const page = await client.list({ limit: 3 });
  const principal = await client.principal();
  const verdict = principal.can("deleteAccessToken", "service-token/5f3a9c0d1e2b4a6c8d0e1f2a");
  const decision = principal.explain("deleteAccessToken", "service-token/5f3a9c0d1e2b4a6c8d0e1f2a");
  let unauthorized = null;
  try {
    await new TokensClient({ token: "api-00000000-0000-4000-8000-000000000000", baseUrl: location.origin, maxRetries: 0 }).list();
  } catch (e) {
    unauthorized = { name: e.name, status: e.status, code: e.code };
  }
  return {
    evaluate: { allowed: refused.allowed, effect: refused.effect, reason: refused.reason },
    list: { count: page.items.length, total: page.totalCount, lastFour: page.items.map((t) => t.token) },
    can: JSON.parse(JSON.stringify(verdict)),
    explain: structuredClone(decision),
    unauthorized,
  };
};
document.body.dataset.ready = "yes";
`;

test("a Vite build of `import { TokensClient, evaluate } from \"tokengate\"` runs in Chromium", async (t) => {
  for (const [what, file] of [["pkg/ (scripts/build-pkg.sh)", path.join(PKG_DIR, "package.json")], ["the emulator (cargo build -p tokengate-emulator)", EMULATOR], ["Vite (npm ci in www/)", VITE]]) {
    assert.ok(existsSync(file), `${what} is missing`);
  }
  const work = mkdtempSync(path.join(tmpdir(), "tokengate-vite-"));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  // The app, with the package installed the way npm links a local dependency.
  const app = path.join(work, "app");
  mkdirSync(path.join(app, "src"), { recursive: true });
  mkdirSync(path.join(app, "node_modules"));
  symlinkSync(PKG_DIR, path.join(app, "node_modules/tokengate"), "dir");
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "vite-app", private: true, type: "module", dependencies: { tokengate: "*" } }));
  writeFileSync(path.join(app, "index.html"), '<!doctype html><html><body><script type="module" src="/src/main.js"></script></body></html>\n');
  writeFileSync(path.join(app, "src/main.js"), MAIN);

  const { build } = await import(pathToFileURL(VITE).href);
  const site = path.join(work, "dist");
  await build({ root: app, configFile: false, logLevel: "warn", build: { outDir: site, emptyOutDir: true, chunkSizeWarningLimit: 4096 } });
  const assets = readdirSync(path.join(site, "assets"));
  assert.ok(assets.some((f) => f.endsWith(".js")), `a script was built: ${assets}`);

  const { url, secrets, stop } = await startEmulator(["--static", site], { env: { RUST_LOG: "warn" } });
  t.after(stop);
  assert.ok(secrets.length > 0, "the demo seed printed its secrets");

  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${url}/`);
  await page.waitForSelector("body[data-ready=yes]", { state: "attached", timeout: 15_000 });
  const result = await page.evaluate((secret) => window.runChecks(secret), secrets[0]);
  assert.deepEqual(errors, []);

  assert.equal(result.evaluate.allowed, false);
  assert.equal(result.evaluate.effect, "deny");
  assert.match(result.evaluate.reason, /denied by statement 1/);
  assert.ok(result.list.count > 0 && result.list.count <= 3, `a page of ${result.list.count}`);
  assert.ok(result.list.total >= result.list.count);
  for (const lastFour of result.list.lastFour) assert.equal(lastFour.length, 4, "list items carry the last four characters only");
  // The first demo secret is the owner's Admin token.
  assert.deepEqual(result.can, { allowed: true, effect: "allow", indeterminate: false });
  assert.equal(result.explain.allowed, true);
  assert.match(result.explain.reason, /allows it/, "explain says why, and survives structuredClone");
  assert.ok(result.explain.matched.length > 0);
  assert.deepEqual(result.unauthorized, { name: "ApiError", status: 401, code: "unauthorized" });
});
