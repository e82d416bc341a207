// Runs the package's auditTokens off the page's main thread. An audit compares each distinct token with its
// creator, which for hundreds of tokens with large policies takes seconds: on the main thread the page would
// freeze for as long. The tokens are audited in slices, identical permissions kept together so that each slice
// compares them once, and the page hears after each slice how far the audit is.

import init, { auditTokens } from "tokengate/web";

/** Tokens per slice: small enough that progress moves and a cancel (the page ends the worker) takes effect soon. */
const SLICE = 25;

const ready = init();

self.onmessage = async ({ data }) => {
  const { id, tokens, options } = data;
  try {
    await ready;
    const order = new Map(tokens.map((token, index) => [token._id, index]));
    const grouped = [...tokens].sort((a, b) => permissionsKey(a).localeCompare(permissionsKey(b)));
    const audits = [];
    for (let start = 0; start < grouped.length; start += SLICE) {
      audits.push(...auditTokens(grouped.slice(start, start + SLICE), options));
      self.postMessage({ id, progress: { done: Math.min(start + SLICE, grouped.length), total: grouped.length } });
    }
    audits.sort((a, b) => order.get(a.tokenId) - order.get(b.tokenId));
    self.postMessage({ id, audits });
  } catch (error) {
    self.postMessage({ id, error: { message: String(error?.message || error), code: error?.code } });
  }
};

/** What the audit compares a token by: its creator, its kind and its own permissions. */
function permissionsKey(token) {
  return JSON.stringify([token.memberId, token.serviceToken === true, token.role ?? null, token.customRoleIds ?? null, token.inlineRole ?? null]);
}
