// Where diagnostics land: JSON pointers and character spans mapped back to the text the user typed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseWithLocations, locateDiagnostic, lineColumn, JsonSyntaxError } from "../src/json-locate.js";

const text = `[
  { "effect": "allow", "actions": ["*"], "resources": ["proj/*", "proj/a:env/"] },
  { "actions": ["*"], "resources": ["proj/\\u00e9t\\u00e9:env/x"] }
]`;

test("values parse the same as JSON.parse", () => {
  const { value } = parseWithLocations(text);
  assert.deepEqual(value, JSON.parse(text));
  for (const sample of ['{"a":[1,2.5e3,-0.5,true,false,null]}', '"x\\ny"', "[]", "{}", ' [ { } , [ ] ] ']) {
    assert.deepEqual(parseWithLocations(sample).value, JSON.parse(sample), sample);
  }
});

test("a pointer maps to its value's text, a key to the member name", () => {
  const { locations } = parseWithLocations(text);
  const res = locations.get("/0/resources/1");
  assert.equal(text.slice(res.start, res.end), '"proj/a:env/"');
  const effect = locations.get("/0/effect");
  assert.equal(text.slice(effect.keyStart, effect.keyEnd), '"effect"');
  assert.equal(text.slice(locations.get("/1").start, locations.get("/1").start + 1), "{");
});

test("a span inside a string covers exactly those characters", () => {
  const { locations } = parseWithLocations(text);
  const at = locateDiagnostic(locations, "/0/resources/1", { start: 7, end: 10 });
  assert.equal(text.slice(at.start, at.end), "env");
  assert.equal(at.exact, true);
});

test("spans count characters of the decoded string, across escapes", () => {
  const { locations } = parseWithLocations(text);
  // decoded: "proj/été:env/x" — characters 5..8 are "été", written as \u00e9t\u00e9
  const at = locateDiagnostic(locations, "/1/resources/0", { start: 5, end: 8 });
  assert.equal(text.slice(at.start, at.end), "\\u00e9t\\u00e9");
});

test("an empty span at the end of a string still marks one character", () => {
  const { locations } = parseWithLocations(text);
  const at = locateDiagnostic(locations, "/0/resources/1", { start: 11, end: 11 });
  assert.equal(at.end - at.start, 1);
  assert.equal(text[at.start], '"');
});

test("a missing member falls back to its nearest existing ancestor", () => {
  const { locations } = parseWithLocations(text);
  const at = locateDiagnostic(locations, "/1/effect");
  assert.equal(at.exact, false);
  assert.equal(text.slice(at.start, at.end), "{");
  assert.equal(lineColumn(text, at.start).line, 3);
});

test("keys with / and ~ are escaped in pointers", () => {
  const { locations } = parseWithLocations('{"a/b": {"c~d": 1}}');
  assert.ok(locations.has("/a~1b/c~0d"));
});

test("syntax errors carry the offset of the problem", () => {
  const bad = '[\n  { "effect": "allow" "actions": [] }\n]';
  assert.throws(() => parseWithLocations(bad), (err) => {
    assert.ok(err instanceof JsonSyntaxError);
    assert.deepEqual(lineColumn(bad, err.offset), { line: 2, column: 23 });
    return true;
  });
  for (const broken of ["", "[", '{"a":}', '"abc', "[1,]", "tru", "[1] x", '{"a" 1}', '"\\q"']) {
    assert.throws(() => parseWithLocations(broken), JsonSyntaxError, broken);
  }
});
