// Parses JSON text while remembering where every value sits, so a diagnostic that names a JSON pointer
// ("/2/resources/0") and a character span inside a string can be drawn at the exact characters the user typed.
// JSON.parse gives the value but forgets positions; this small recursive-descent parser keeps them.

/** A JSON syntax error at a text offset. */
export class JsonSyntaxError extends Error {
  constructor(message, offset) {
    super(message);
    this.name = "JsonSyntaxError";
    this.offset = offset;
  }
}

/**
 * Parses `text` and returns `{ value, locations }`, where `locations` maps each JSON pointer to
 * `{ start, end, keyStart?, keyEnd?, chars? }`: text offsets of the value (end exclusive), of its member key
 * when it is an object member, and for strings the text offset of each character (code point) of the decoded
 * value plus one past the last, so spans into the string map back to the source even across escapes.
 * Throws JsonSyntaxError with the offset of the first problem.
 */
export function parseWithLocations(text) {
  const locations = new Map();
  let pos = 0;

  const fail = (message, at = pos) => {
    throw new JsonSyntaxError(message, Math.min(at, text.length));
  };
  const skipWhitespace = () => {
    while (pos < text.length && " \t\n\r".includes(text[pos])) pos++;
  };
  const expect = (ch) => {
    if (text[pos] !== ch) fail(`Expected '${ch}' but found ${describeAt(text, pos)}`);
    pos++;
  };

  function parseString() {
    const start = pos;
    expect('"');
    let out = "";
    const chars = [];
    while (true) {
      if (pos >= text.length) fail("Unterminated string", start);
      const ch = text[pos];
      if (ch === '"') break;
      if (ch < " ") fail("Control character in string");
      const charStart = pos;
      if (ch === "\\") {
        const esc = text[pos + 1];
        const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (esc in simple) {
          out += simple[esc];
          pos += 2;
        } else if (esc === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          fail("Bad escape in string");
        }
      } else {
        const cp = text.codePointAt(pos);
        const len = cp > 0xffff ? 2 : 1;
        out += text.slice(pos, pos + len);
        pos += len;
      }
      // A \uD83D\uDE00 pair is two escapes but one code point: count the pair once.
      const last = out.charCodeAt(out.length - 1);
      const isLowSurrogateAfterHigh =
        last >= 0xdc00 && last <= 0xdfff && out.length >= 2 && isHighSurrogate(out.charCodeAt(out.length - 2)) &&
        text[charStart] === "\\";
      if (!isLowSurrogateAfterHigh) chars.push(charStart);
    }
    pos++; // closing quote
    chars.push(pos - 1);
    return { value: out, start, end: pos, chars };
  }

  function parseValue(pointer, keyLoc) {
    skipWhitespace();
    const start = pos;
    const ch = text[pos];
    let value;
    let chars;
    if (ch === "{") {
      pos++;
      value = {};
      skipWhitespace();
      if (text[pos] === "}") pos++;
      else {
        while (true) {
          skipWhitespace();
          if (text[pos] !== '"') fail(`Expected a member name in quotes but found ${describeAt(text, pos)}`);
          const key = parseString();
          skipWhitespace();
          expect(":");
          value[key.value] = parseValue(`${pointer}/${escapePointer(key.value)}`, key);
          skipWhitespace();
          if (text[pos] === ",") {
            pos++;
            continue;
          }
          if (text[pos] === "}") {
            pos++;
            break;
          }
          fail(`Expected ',' or '}' but found ${describeAt(text, pos)}`);
        }
      }
    } else if (ch === "[") {
      pos++;
      value = [];
      skipWhitespace();
      if (text[pos] === "]") pos++;
      else {
        while (true) {
          value.push(parseValue(`${pointer}/${value.length}`));
          skipWhitespace();
          if (text[pos] === ",") {
            pos++;
            continue;
          }
          if (text[pos] === "]") {
            pos++;
            break;
          }
          fail(`Expected ',' or ']' but found ${describeAt(text, pos)}`);
        }
      }
    } else if (ch === '"') {
      const s = parseString();
      value = s.value;
      chars = s.chars;
    } else if (text.startsWith("true", pos)) {
      value = true;
      pos += 4;
    } else if (text.startsWith("false", pos)) {
      value = false;
      pos += 5;
    } else if (text.startsWith("null", pos)) {
      value = null;
      pos += 4;
    } else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
      if (!m) fail(`Unexpected ${describeAt(text, pos)}`);
      value = Number(m[0]);
      pos += m[0].length;
    }
    const loc = { start, end: pos };
    if (keyLoc) {
      loc.keyStart = keyLoc.start;
      loc.keyEnd = keyLoc.end;
    }
    if (chars) loc.chars = chars;
    locations.set(pointer, loc);
    return value;
  }

  const value = parseValue("");
  skipWhitespace();
  if (pos < text.length) fail(`Unexpected ${describeAt(text, pos)} after the end of the JSON value`);
  return { value, locations };
}

/**
 * Where a diagnostic belongs in the source: `{ start, end, exact }`. With a span into a string value the range
 * covers exactly those characters; a pointer to a missing member falls back to the nearest existing ancestor
 * (`exact: false`) so a "missing effect" still lands on its statement.
 */
export function locateDiagnostic(locations, path, span) {
  let pointer = path || "";
  let exact = true;
  while (!locations.has(pointer)) {
    exact = false;
    if (pointer === "") return null;
    pointer = pointer.slice(0, pointer.lastIndexOf("/"));
  }
  const loc = locations.get(pointer);
  if (exact && span && loc.chars) {
    const last = loc.chars.length - 1; // chars[last] is the closing quote
    const from = Math.min(Math.max(span.start, 0), last);
    const to = Math.min(Math.max(span.end, from), last);
    // An empty span (say, "missing name" at the end) still gets one visible character.
    const start = loc.chars[from];
    const end = to > from ? loc.chars[to] : Math.min(start + 1, loc.end);
    return { start, end, exact };
  }
  if (!exact) {
    // The ancestor's key (or its opening bracket) is a small, readable anchor.
    if (loc.keyStart !== undefined) return { start: loc.keyStart, end: loc.keyEnd, exact };
    return { start: loc.start, end: loc.start + 1, exact };
  }
  return { start: loc.start, end: loc.end, exact };
}

/** 1-based line and column of a text offset. */
export function lineColumn(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function escapePointer(key) {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

function describeAt(text, pos) {
  if (pos >= text.length) return "the end of the text";
  return `'${text[pos]}'`;
}
