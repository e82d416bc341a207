// Headless Chromium for the suites that drive a page: Debian's chromium (never a browser build of playwright's
// own), launched through the pinned playwright-core in tools/. Used by the package's Vite test, the demo's
// end-to-end tests and the edge broker's demo test.

import { existsSync } from "node:fs";
import { requireTool } from "./repo.mjs";

/** The browser binary: `$CHROMIUM` when set, else Debian's. */
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why no browser can be launched here (a reason to skip with), or null when one can. */
export function chromiumMissing() {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`;
}

/** Launches headless Chromium; close it with `browser.close()`. */
export async function launchChromium() {
  const { chromium } = requireTool("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
