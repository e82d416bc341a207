// `tsc --noEmit --strict` over the consumer files (consumer.ts, consumer-web.ts, consumer.cts) against the
// built package's declarations, resolved through its exports map as a dependency.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { linkPackage } from "../support/js/package.mjs";

test("the package's types compile under tsc --strict", () => {
  linkPackage(new URL(".", import.meta.url));
  const tsc = fileURLToPath(new URL("../../tools/node_modules/typescript/bin/tsc", import.meta.url));
  const project = fileURLToPath(new URL("./tsconfig.json", import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, "-p", project], { stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc reported:\n${e.stdout}${e.stderr}`);
  }
});
