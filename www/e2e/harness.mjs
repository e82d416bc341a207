// Shared set-up for the end-to-end tests: one emulator per test file on a free port, serving a private copy of
// the built page (so parallel files never share demo-tokens.json), and headless Chromium through playwright-core.

import { spawn } from "node:child_process";
import { before, after } from "node:test";
import { cpSync, mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeDemoTokens } from "../tools/demo-tokens.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, "../..");
const DIST = path.join(ROOT, "www/dist");
const EMULATOR = process.env.TOKENGATE_EMULATOR || path.join(ROOT, "target/debug/tokengate-emulator");
export const SCREENSHOTS = path.join(ROOT, "test-output/screenshots");

// playwright-core is a pinned tool dependency of the repo, not of the page.
const requireTool = createRequire(path.join(ROOT, "tools/package.json"));
const { chromium } = requireTool("playwright-core");

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts the emulator with the demo seed and a copy of www/dist, writes demo-tokens.json from its startup output.
 * Returns `{ url, tokens, log, stop }`.
 */
export async function startEmulator() {
  if (!existsSync(path.join(DIST, "index.html"))) throw new Error("www/dist is missing: run scripts/test-e2e.sh (it builds the page)");
  if (!existsSync(EMULATOR)) throw new Error(`emulator binary missing at ${EMULATOR}: cargo build -p tokengate-emulator`);
  const site = mkdtempSync(path.join(tmpdir(), "tokengate-e2e-"));
  cpSync(DIST, site, { recursive: true });

  const child = spawn(EMULATOR, ["--listen", "127.0.0.1:0", "--seed", "demo", "--static", site], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" },
  });
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 15 s; output:\n${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ""));
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}; output:\n${log}`));
    });
  });
  // The token lines may follow the listening line: give the rest of the banner a moment to arrive.
  await settle(() => log.length, 300, 3000);
  const tokens = writeDemoTokens(log, path.join(site, "demo-tokens.json"));
  if (!tokens.length) throw new Error(`no demo token secrets in the emulator's output:\n${log}`);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    rmSync(site, { recursive: true, force: true });
  };
  return { url, tokens, log: () => log, stop };
}

/** Waits until `measure()` stops changing for `quietMs` (at most `maxMs`). */
async function settle(measure, quietMs, maxMs) {
  const start = Date.now();
  let last = measure();
  let lastChange = Date.now();
  while (Date.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    const now = measure();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= quietMs) return;
  }
}

/** Launches headless Chromium. */
export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A new page at `url` once the app says it is ready; page errors fail loudly. */
/**
 * Registers the test file's lifecycle: one emulator (its own copy of the page) and one browser, started before the
 * file's tests and stopped after them. Returns the holder the tests read them from.
 */
export function useAppServer() {
  const env = { emulator: null, browser: null };
  before(async () => {
    env.emulator = await startEmulator();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.emulator?.stop();
  });
  return env;
}

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
