// The README's Node snippet, run as written against the demo emulator (only the address and the token are
// filled in), so the tour cannot drift from the package.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { linkPackage } from "../support/js/package.mjs";
import { startEmulator } from "../support/js/processes.mjs";

const README = fileURLToPath(new URL("../../README.md", import.meta.url));
const HERE = fileURLToPath(new URL("./", import.meta.url));

/** The first ```js block after the heading `### <title>`. */
function snippet(title) {
  const text = readFileSync(README, "utf8");
  const start = text.indexOf(`### ${title}\n`);
  assert.ok(start >= 0, `README has no "### ${title}" section`);
  const block = /```js\n([\s\S]*?)```/.exec(text.slice(start));
  assert.ok(block, `no js block under "### ${title}"`);
  return block[1];
}

let emulator;
before(async () => {
  linkPackage(HERE);
  emulator = await startEmulator();
});
after(() => emulator?.stop());

test("the Node tour runs as written and prints each visible token with its permitted actions", async () => {
  const code = snippet("In Node");
  assert.ok(code.includes('baseUrl: "http://127.0.0.1:8787"'), "the snippet points at the demo address");
  // A scratch directory inside tests/js, so that `tokengate` resolves to the linked package.
  const dir = mkdtempSync(`${HERE}.readme-`);
  try {
    const file = `${dir}/tour.mjs`;
    writeFileSync(file, code.replace("http://127.0.0.1:8787", emulator.url));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], {
      env: { ...process.env, LD_ACCESS_TOKEN: emulator.secrets[0] },
      timeout: 30_000,
    });
    const [teamLine, criticalLine, ...lines] = stdout.trim().split("\n");
    // The demo's mobile team grants the project writer role, filled with its own projects attribute.
    assert.equal(teamLine, "team mobile-team: roles project-writer; projects mobile");
    // The owner's token may change a flag in a critical environment.
    assert.match(criticalLine, /^critical flag: true \(.*allows it/);
    assert.ok(lines.length >= 12, `one line per token of the demo account, got:\n${stdout}`);
    for (const line of lines) {
      assert.match(line, /^.+: .*\(reset: .*(allow|den)/, `each line names the token, its actions and a reason: ${line}`);
    }
    // The tour's rename went through (the owner may rename that demo token), so nothing reached the catch.
    assert.equal(stderr, "");
    const { TokensClient } = await import("tokengate");
    const owner = new TokensClient({ token: emulator.secrets[0], baseUrl: emulator.url });
    assert.equal((await owner.get("5f1c0000000000000000000b")).name, "renamed");
    assert.ok(!stdout.includes(emulator.secrets[0]) && !stderr.includes(emulator.secrets[0]), "no secret printed");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
