// Shared page state and a small change signal. The caller record never holds the secret (session.js does).

export const app = {
  /** Result of loadCaller(), or null without a token. */
  caller: null,
  /** Custom roles by id and key, for names and checks. */
  rolesById: new Map(),
  /** When true, buttons the client check denies are disabled. */
  enforce: true,
  /** The list view's paging. */
  listParams: { showAll: false, limit: 10, offset: 0 },
  /** The current page `{ items, _links, totalCount }`. */
  page: null,
};

const listeners = new Set();

/** Subscribes to changes; `what` names the part that changed ("caller", "tokens", "enforce"). */
export function onChange(listener) {
  listeners.add(listener);
}

export function changed(what) {
  for (const listener of listeners) listener(what);
}

/** A Decision from the caller's Principal, or an indeterminate stand-in when there is none or it throws. */
export function decide(fn, what) {
  const principal = app.caller?.principal;
  if (!principal) {
    return { allowed: false, effect: "default-deny", matched: [], indeterminate: true, reason: `Cannot check ${what}: the caller's own token could not be read` };
  }
  try {
    return fn(principal);
  } catch (error) {
    return { allowed: false, effect: "default-deny", matched: [], indeterminate: true, reason: `Cannot check ${what}: ${error?.message || error}` };
  }
}

/**
 * The Decision for one token action (`deleteAccessToken`, ...) on `token`: the package's checkAction, which also
 * knows whether the token is visible at all.
 */
export function decideAction(token, action) {
  return decide((p) => p.checkAction(token, action), action);
}

/** The Decision for `action` on a resource specifier, with its explanation (`explain`; `can` has none). */
export function decideOn(action, resource) {
  return decide((p) => p.explain(action, resource), action);
}
