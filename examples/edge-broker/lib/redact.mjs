// Keeps the broker's secret (and any secret seen in a response) out of logs.

const SECRET_PATTERN = /api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A secret shortened to the form LaunchDarkly itself shows: its last four characters. */
export function obfuscate(secret) {
  if (typeof secret !== "string" || secret.length === 0) return "(none)";
  return `…${secret.slice(-4)}`;
}

/** Replaces every secret-shaped substring, and the given secret verbatim, by its obfuscated form. */
export function redact(text, secret) {
  let out = String(text);
  if (typeof secret === "string" && secret.length > 0) out = out.split(secret).join(obfuscate(secret));
  return out.replace(SECRET_PATTERN, (s) => obfuscate(s));
}

/** A copy of a token object without its full secret (create and reset answer with the whole secret). */
export function withoutSecret(token) {
  if (!token || typeof token !== "object") return token;
  const copy = { ...token };
  if (typeof copy.token === "string" && copy.token.length > 4) copy.token = copy.token.slice(-4);
  return copy;
}
