// A JSON policy editor with live diagnostics drawn at the characters they are about.
// The textarea is transparent over a backdrop that repeats its text with <mark>s around each diagnostic's range
// (same font, same wrapping), so squiggles line up with what the user typed without a code-editor dependency.

import { parseWithLocations, locateDiagnostic, lineColumn, JsonSyntaxError } from "./json-locate.js";
import { el } from "./dom.js";

/**
 * Mounts an editor into `host`. `validate(statements)` returns diagnostics `[{severity, code, message, path, span?}]`
 * (the package's validatePolicy). `onChange({ statements, diagnostics, ok })` runs after each edit; `statements` is
 * undefined while the JSON does not parse. Returns `{ getText, setText, result, element }`.
 */
export function mountPolicyEditor(host, { id, label, initial, validate, onChange = () => {} }) {
  const backdrop = el("pre", { className: "editor-backdrop", "aria-hidden": "true" });
  const textarea = el("textarea", {
    id,
    className: "editor-input",
    spellcheck: false,
    rows: 12,
    "aria-label": label,
    autocomplete: "off",
    "data-gramm": "false",
  });
  const gutter = el("div", { className: "editor-gutter", "aria-hidden": "true" });
  const frame = el("div", { className: "editor-frame" }, gutter, el("div", { className: "editor-stack" }, backdrop, textarea));
  const list = el("ul", { className: "diagnostics", "aria-live": "polite" });
  const heading = el("div", { className: "editor-label" }, label);
  host.replaceChildren(el("div", { className: "policy-editor" }, heading, frame, list));

  let current = { statements: undefined, diagnostics: [], ok: false };

  function render() {
    const text = textarea.value;
    const placed = [];
    let statements;
    let diagnostics = [];
    try {
      const { value, locations } = parseWithLocations(text);
      statements = value;
      diagnostics = safeValidate(validate, value);
      for (const d of diagnostics) {
        const range = locateDiagnostic(locations, d.path, d.span);
        placed.push({ ...d, range });
      }
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      const d = { severity: "error", code: "json_syntax", message: err.message, path: "" };
      diagnostics = [d];
      placed.push({ ...d, range: { start: err.offset, end: Math.min(err.offset + 1, text.length), exact: true } });
    }

    drawBackdrop(text, placed);
    drawGutter(text, placed);
    drawList(text, placed);
    const ok = statements !== undefined && !diagnostics.some((d) => d.severity === "error");
    current = { statements, diagnostics, ok };
    onChange(current);
  }

  function drawBackdrop(text, placed) {
    // Overlapping ranges are drawn by the first (most severe first) diagnostic that claims a character.
    const ordered = placed
      .filter((p) => p.range)
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.range.start - b.range.start);
    const owner = new Array(text.length + 1).fill(-1);
    ordered.forEach((p, i) => {
      const end = Math.max(p.range.end, p.range.start + 1);
      for (let k = p.range.start; k < end && k <= text.length; k++) if (owner[k] === -1) owner[k] = i;
    });
    const parts = [];
    let k = 0;
    while (k <= text.length) {
      const o = owner[k];
      let j = k;
      while (j <= text.length && owner[j] === o) j++;
      const chunk = text.slice(k, Math.min(j, text.length));
      if (o === -1) parts.push(document.createTextNode(chunk));
      else {
        const p = ordered[o];
        parts.push(
          el(
            "mark",
            {
              className: `diag ${p.severity}`,
              title: `${p.code}: ${p.message}`,
              "data-path": p.path,
              "data-code": p.code,
            },
            chunk || " ",
          ),
        );
      }
      k = j;
    }
    // A trailing newline would otherwise collapse in the <pre>, misaligning the last line.
    parts.push(document.createTextNode("\n"));
    backdrop.replaceChildren(...parts);
  }

  function drawGutter(text, placed) {
    const lines = text.split("\n").length;
    const flagged = new Map();
    for (const p of placed) {
      if (!p.range) continue;
      const { line } = lineColumn(text, p.range.start);
      if (!flagged.has(line) || p.severity === "error") flagged.set(line, p.severity);
    }
    const rows = [];
    for (let i = 1; i <= lines; i++) {
      rows.push(el("div", { className: flagged.has(i) ? `ln ${flagged.get(i)}` : "ln" }, String(i)));
    }
    gutter.replaceChildren(...rows);
  }

  function drawList(text, placed) {
    if (placed.length === 0) {
      list.replaceChildren(el("li", { className: "diag-ok" }, "✓ No problems found"));
      return;
    }
    list.replaceChildren(
      ...placed.map((p) => {
        const at = p.range ? lineColumn(text, p.range.start) : null;
        const item = el(
          "li",
          { className: `diag-item ${p.severity}`, "data-path": p.path, "data-code": p.code, tabIndex: 0 },
          el("span", { className: `sev ${p.severity}` }, p.severity),
          el("code", { className: "path" }, p.path || "/"),
          at ? el("span", { className: "pos" }, `line ${at.line}, col ${at.column}`) : null,
          el("span", { className: "msg" }, p.message),
          el("span", { className: "code" }, p.code),
        );
        const jump = () => {
          if (!p.range) return;
          textarea.focus();
          textarea.setSelectionRange(p.range.start, Math.max(p.range.end, p.range.start));
        };
        item.addEventListener("click", jump);
        item.addEventListener("keydown", (e) => e.key === "Enter" && jump());
        return item;
      }),
    );
  }

  textarea.addEventListener("input", render);
  textarea.addEventListener("scroll", () => {
    backdrop.scrollTop = textarea.scrollTop;
    backdrop.scrollLeft = textarea.scrollLeft;
    gutter.scrollTop = textarea.scrollTop;
  });
  textarea.addEventListener("keydown", (e) => {
    // Tab indents instead of leaving the field; Shift+Tab still moves focus.
    if (e.key === "Tab" && !e.shiftKey) {
      e.preventDefault();
      textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
      render();
    }
  });

  const setText = (text) => {
    textarea.value = text;
    render();
  };
  setText(initial);

  return {
    element: textarea,
    getText: () => textarea.value,
    setText,
    result: () => current,
    revalidate: render,
  };
}

function safeValidate(validate, value) {
  try {
    return validate(value) || [];
  } catch (err) {
    return [{ severity: "error", code: err?.code || "invalid_policy", message: err?.message || String(err), path: "" }];
  }
}

function severityRank(severity) {
  return severity === "error" ? 0 : 1;
}

/**
 * Formats statements one key per line with arrays of strings kept on one line, which reads far better than
 * JSON.stringify's one-item-per-line for policies.
 */
export function formatPolicy(statements) {
  if (!Array.isArray(statements)) return JSON.stringify(statements, null, 2);
  const inline = (v) => (Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null) ? `[${v.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(v));
  const body = statements.map((s) => {
    if (!s || typeof s !== "object" || Array.isArray(s)) return `  ${JSON.stringify(s)}`;
    const lines = Object.entries(s).map(([k, v]) => `    ${JSON.stringify(k)}: ${inline(v)}`);
    return `  {\n${lines.join(",\n")}\n  }`;
  });
  return body.length ? `[\n${body.join(",\n")}\n]` : "[]";
}
