// Set-up for the demo console's end-to-end tests: one emulator per test file on a free port, serving a private copy
// of the built page (so parallel files never share demo-tokens.json), and headless Chromium, both started through
// the repository's shared test helpers (tests/support/js/); and the page-level steps the tests share.

import { before, after } from "node:test";
import { cpSync, mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchChromium } from "../../tests/support/js/browser.mjs";
import { REPO_ROOT, startEmulator } from "../../tests/support/js/processes.mjs";
import { writeDemoTokens } from "../tools/demo-tokens.mjs";

const DIST = path.join(REPO_ROOT, "www/dist");
export const SCREENSHOTS = path.join(REPO_ROOT, "test-output/screenshots");

/**
 * Starts the emulator with the demo seed and a copy of www/dist, writes demo-tokens.json from its startup output.
 * Returns `{ url, tokens, log, stop }`; `tokens` are the page's `{ label, secret }` entries.
 */
async function startAppServer() {
  if (!existsSync(path.join(DIST, "index.html"))) throw new Error("www/dist is missing: run scripts/test-e2e.sh (it builds the page)");
  const site = mkdtempSync(path.join(tmpdir(), "tokengate-e2e-"));
  cpSync(DIST, site, { recursive: true });
  let emulator;
  try {
    emulator = await startEmulator(["--static", site], { env: { RUST_LOG: process.env.RUST_LOG || "warn" } });
  } catch (error) {
    rmSync(site, { recursive: true, force: true });
    throw error;
  }
  const log = () => emulator.output.stdout + emulator.output.stderr;
  const stop = async () => {
    await emulator.stop();
    rmSync(site, { recursive: true, force: true });
  };
  const tokens = writeDemoTokens(log(), path.join(site, "demo-tokens.json"));
  if (!tokens.length) {
    await stop();
    throw new Error(`no demo token secrets in the emulator's output:\n${log()}`);
  }
  return { url: emulator.url, tokens, log, stop };
}

/**
 * Registers the test file's lifecycle: one emulator (its own copy of the page) and one browser, started before the
 * file's tests and stopped after them. Returns the holder the tests read them from.
 */
export function useAppServer() {
  const env = { emulator: null, browser: null };
  before(async () => {
    env.emulator = await startAppServer();
    env.browser = await launchChromium();
  });
  after(async () => {
    await env.browser?.close();
    await env.emulator?.stop();
  });
  return env;
}

/** A new page at `url` once the app says it is ready; page errors are collected in `errors`. */
export async function openApp(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err));
  await page.goto(url + "/");
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  await page.waitForSelector("#demo-token-select:not([disabled])", { timeout: 10000 });
  return { page, context, errors };
}

/** Picks the demo token whose label matches `pattern` and waits until the caller and the list are shown. */
export async function pickToken(page, pattern) {
  const options = await page.$$eval("#demo-token-select option", (os) => os.map((o) => ({ value: o.value, text: o.textContent })));
  const option = options.find((o) => o.value !== "" && pattern.test(o.text));
  if (!option) throw new Error(`no demo token matches ${pattern}; have: ${options.map((o) => o.text).join(" | ")}`);
  await page.selectOption("#demo-token-select", option.value);
  await page.click("#use-demo-token");
  // The click starts the session synchronously (badge "loading"); wait for it to finish, whichever tab is open.
  await page.waitForFunction(() => document.querySelector("#session-badge").dataset.state === "active", null, { timeout: 10000 });
  await page.waitForSelector("#tokens-table, #tokens-body p.empty", { state: "attached", timeout: 10000 });
  return option.text;
}

/** Saves a full-page screenshot under test-output/screenshots/. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Everything the page could have persisted or exposed: storage, cookies, URL and history entry, as one string,
 * to assert that no secret is in it.
 */
export async function persistedState(page) {
  const inPage = await page.evaluate(() => {
    const dump = (s) => {
      const out = {};
      for (let i = 0; i < s.length; i++) out[s.key(i)] = s.getItem(s.key(i));
      return out;
    };
    return JSON.stringify({ local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie, href: location.href, state: history.state });
  });
  const cookies = await page.context().cookies();
  return inPage + JSON.stringify(cookies) + page.url();
}

/** The text of the activity log's newest entry. */
export async function lastActivity(page) {
  return page.$eval("#activity li:first-child", (li) => ({ text: li.textContent, agreement: li.dataset.agreement, ok: li.dataset.ok }));
}

/** The newest activity entry whose text matches `pattern` (entries are newest first), or undefined. */
export async function findActivity(page, pattern) {
  const all = await page.$$eval("#activity li", (lis) => lis.map((li) => ({ text: li.textContent, agreement: li.dataset.agreement, ok: li.dataset.ok })));
  return all.find((a) => pattern.test(a.text));
}
