// The demo console served from the broker's origin, in headless Chromium: the README's "pointing the demo at the
// broker" recipe, checked. The page holds only a placeholder; the broker's token does the work.
// Skipped (with the reason) when the demo has not been built (www/dist) or Chromium is not installed.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { chromiumMissing, launchChromium } from "../../../tests/support/js/browser.mjs";
import { REPO_ROOT, demoSecret, startEmulator, stop } from "../../../tests/support/js/processes.mjs";
import { startBroker } from "./harness.mjs";

const SITE = path.join(REPO_ROOT, "www/dist");
const PLACEHOLDER = "api-00000000-0000-4000-8000-000000000000";
const missing = !existsSync(path.join(SITE, "index.html")) ? "the demo is not built (www/build.sh writes www/dist)" : chromiumMissing();

let emulator;
let broker;
let browser;
let adminSecret;

before(async () => {
  if (missing) return;
  emulator = await startEmulator();
  adminSecret = demoSecret(emulator, "Admin automation");
  broker = await startBroker({ secret: adminSecret, upstream: emulator.url, site: SITE });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stop(broker?.child);
  await stop(emulator?.child);
});

test("the console works through the broker with a placeholder instead of a secret", { skip: missing ?? false }, async () => {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  const apiCalls = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) apiCalls.push({ origin: url.origin, authorization: request.headers().authorization });
  });

  await page.goto(`${broker.url}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  await page.fill("#paste-token", PLACEHOLDER);
  await page.click("#use-pasted-token");
  await page.waitForFunction(() => document.querySelector("#session-badge").dataset.state === "active", null, { timeout: 15_000 });
  await page.waitForSelector("#tokens-table", { timeout: 15_000 });

  // The page shows the broker's token, which it never held.
  assert.equal((await page.textContent("#caller-token-name")).trim(), "Admin automation");
  assert.ok((await page.$$eval("#tokens-table tbody tr", (rows) => rows.length)) > 0);
  assert.ok(apiCalls.length > 0);
  for (const call of apiCalls) {
    assert.equal(call.origin, broker.url, "every API call stays on the broker's origin");
    assert.notEqual(call.authorization, adminSecret);
  }
  const html = await page.content();
  assert.ok(!html.includes(adminSecret), "the secret never reaches the page");
  assert.deepEqual(pageErrors, []);
});
