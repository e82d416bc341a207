// Small DOM utilities. Everything is built with createElement and text nodes, never innerHTML, so token names and
// server messages cannot inject markup.

/**
 * Creates an element. `props`: properties (`className`, `id`, `disabled`, `tabIndex`...) or, for keys with a dash
 * or `data-`/`aria-` prefix, attributes; `on*` functions become listeners. Children: nodes, strings, null/false skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key.includes("-") || key === "title" || key === "for" || key === "role") node.setAttribute(key, value === true ? "" : String(value));
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** `document.getElementById`, failing loudly when the page and the script disagree. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node;
}

/** A short, readable date for epoch milliseconds. */
export function formatDate(ms) {
  if (!ms) return "—";
  const d = new Date(ms);
  return d.toISOString().replace("T", " ").slice(0, 16);
}

/** Just the day of epoch milliseconds, for narrow table cells (the full time goes in the tooltip). */
export function formatDay(ms) {
  return ms ? formatDate(ms).slice(0, 10) : "—";
}
