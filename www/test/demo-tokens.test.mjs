// The demo token list made from the emulator's startup output.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDemoTokens } from "../tools/demo-tokens.mjs";

test("each line with a secret becomes one labelled token, duplicates dropped", () => {
  const out = parseDemoTokens(
    [
      "listening on http://127.0.0.1:8787",
      "demo tokens:",
      "  Owner console (personal, olivia.owner@example.com): api-0d3e0000-0000-4000-8000-00000000c001",
      "  - CI deploys [service] token = api-0d3e0000-0000-4000-8000-00000000c008",
      "again api-0d3e0000-0000-4000-8000-00000000c001",
      "api-0d3e0000-0000-4000-8000-00000000c00d",
    ].join("\n"),
  );
  assert.deepEqual(out, [
    { label: "Owner console (personal, olivia.owner@example.com)", secret: "api-0d3e0000-0000-4000-8000-00000000c001" },
    { label: "CI deploys [service]", secret: "api-0d3e0000-0000-4000-8000-00000000c008" },
    { label: "token …c00d", secret: "api-0d3e0000-0000-4000-8000-00000000c00d" },
  ]);
});

test("the emulator's aligned table gives name (kind, member) labels", () => {
  const out = parseDemoTokens(
    [
      "demo secrets (for local use only; never ship a token secret to a browser you do not control):",
      "  personal   Owner console                olivia.owner@example.com             api-0d3e0000-0000-4000-8000-00000000c001",
      "  service    CI deploys                   adam.admin@example.com               api-0d3e0000-0000-4000-8000-00000000c008",
      "  personal   Departed member's token      5f1a000000000000000000ff (left the account) api-0d3e0000-0000-4000-8000-00000000c00d",
      "listening on http://127.0.0.1:35745",
    ].join("\n"),
  );
  assert.deepEqual(
    out.map((t) => t.label),
    ["Owner console (personal, olivia.owner@example.com)", "CI deploys (service, adam.admin@example.com)", "Departed member's token (personal, 5f1a000000000000000000ff (left the account))"],
  );
});

test("output without secrets gives an empty list", () => {
  assert.deepEqual(parseDemoTokens("listening on http://127.0.0.1:1\nno tokens here\napi-notauuid"), []);
});
