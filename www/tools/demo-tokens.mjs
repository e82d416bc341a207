// Turns the emulator's startup output into the demo token list the page offers (dist/demo-tokens.json).
// Local demo only: the file holds the demo account's secrets so a visitor of the local console can pick one.
// It is written next to the built page by scripts/demo.sh and the end-to-end tests, never committed.
//
// Usage as a module: parseDemoTokens(text) -> [{ label, secret }]
// Usage as a script: node tools/demo-tokens.mjs <emulator-log> <out.json>

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SECRET = /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/**
 * Every line of `text` that carries a token secret becomes one entry; the rest of the line (minus separators)
 * is its label. Later lines for the same secret are ignored.
 */
export function parseDemoTokens(text) {
  const seen = new Set();
  const tokens = [];
  for (const raw of text.split(/\r?\n/)) {
    const match = SECRET.exec(raw);
    if (!match || seen.has(match[0])) continue;
    seen.add(match[0]);
    tokens.push({ label: tableLabel(raw, match[0]) || freeLabel(raw, match[0]), secret: match[0] });
  }
  return tokens;
}

/** A column-aligned line `kind  name  member  secret` becomes `name (kind, member)`. */
function tableLabel(raw, secret) {
  const fields = raw.replace(secret, "").trim().split(/\s{2,}/);
  if (fields.length < 2 || !/^(personal|service)$/.test(fields[0])) return "";
  const [kind, name, ...rest] = fields;
  return `${name} (${[kind, ...rest].join(", ")})`;
}

/** Any other line: the line without the secret and its separators. */
function freeLabel(raw, secret) {
  const label = raw
    .replace(secret, " ")
    .replace(/\b(secret|token)\s*[:=]\s*$/i, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s:=\-–|*•>]+|[\s:=\-–|*•<(]+$/g, "")
    .trim();
  return label || `token …${secret.slice(-4)}`;
}

/** Writes `{ tokens }` as JSON to `outPath`; returns the tokens. */
export function writeDemoTokens(text, outPath) {
  const tokens = parseDemoTokens(text);
  writeFileSync(outPath, JSON.stringify({ note: "Local demo only: secrets of the emulator's demo account.", tokens }, null, 2) + "\n");
  return tokens;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [logPath, outPath] = process.argv.slice(2);
  if (!logPath || !outPath) {
    console.error("usage: node tools/demo-tokens.mjs <emulator-log> <out.json>");
    process.exit(2);
  }
  const tokens = writeDemoTokens(readFileSync(logPath, "utf8"), outPath);
  console.log(`demo-tokens: ${tokens.length} tokens written to ${outPath}`);
}
