// What the broker knows about its own access token: the Principal (its roles and its creator's cap) and an index
// of the tokens it can see, so that a request naming a token can be checked without asking the upstream first.
//
// One snapshot lives per isolate and is rebuilt after `ttlMs`. While a rebuild runs, requests keep using the
// previous snapshot (stale-while-revalidate) so a refresh never stalls traffic; only the very first request of an
// isolate, or one that finds the snapshot far too old, waits for a build. Builds are shared between concurrent
// requests. If no snapshot can be had, callers forward unchecked: the upstream stays the authority on every call,
// the edge check only saves it the calls that would fail anyway.

/** How long a snapshot may be used past its TTL while a refresh is pending before callers stop trusting it. */
const MAX_STALE_FACTOR = 4;

/** The tokens and missing ids learnt for one snapshot. */
export class Snapshot {
  constructor(principal, tokens, builtAt, ttlMs) {
    this.principal = principal;
    /** @type {Map<string, object>} token id → token (never holding a full secret) */
    this.tokens = new Map();
    for (const token of tokens) if (token && typeof token._id === "string") this.tokens.set(token._id, token);
    /** @type {Map<string, number>} token id → until when the upstream's 404 for it is trusted */
    this.missing = new Map();
    /**
     * Answers already computed for this principal, by question and token id. Sound because the principal is
     * fixed for the snapshot's life and the answers read only what never changes on a token (its id, its
     * member, whether it is a service token).
     * @type {Map<string, unknown>}
     */
    this.answers = new Map();
    this.builtAt = builtAt;
    this.ttlMs = ttlMs;
  }

  /** `compute()` once per `key` for this snapshot (bounded like `missing`). */
  remember(key, compute) {
    if (this.answers.has(key)) return this.answers.get(key);
    const value = compute();
    if (this.answers.size >= 10_000) this.answers.delete(this.answers.keys().next().value);
    this.answers.set(key, value);
    return value;
  }

  /** Records a token seen in an upstream answer (list, get, create, update, reset). */
  learn(token) {
    if (!token || typeof token._id !== "string") return;
    this.tokens.set(token._id, token);
    this.missing.delete(token._id);
  }

  /** Records that the upstream answered 404 for an id, or that the token was deleted. */
  forget(id, now) {
    this.tokens.delete(id);
    this.missing.set(id, now + this.ttlMs);
    // Bounded: a client probing random ids must not grow the isolate's memory without limit.
    if (this.missing.size > 10_000) this.missing.delete(this.missing.keys().next().value);
  }

  /** Whether the upstream reported this id missing recently enough to answer 404 at the edge. */
  isKnownMissing(id, now) {
    const until = this.missing.get(id);
    if (until === undefined) return false;
    if (until <= now) {
      this.missing.delete(id);
      return false;
    }
    return true;
  }
}

/** Keeps the isolate's snapshot fresh. */
export class SnapshotCache {
  /**
   * @param {() => Promise<{principal: object, tokens: object[]}>} build loads a fresh principal and token list
   * @param {{ttlMs: number, waitMs: number, now?: () => number}} options
   */
  constructor(build, { ttlMs, waitMs, now = () => Date.now() }) {
    this.build = build;
    this.ttlMs = ttlMs;
    this.waitMs = waitMs;
    this.now = now;
    /** @type {Snapshot | null} */
    this.current = null;
    this.pending = null;
    this.lastError = null;
  }

  /**
   * The snapshot to check a request against, or null when none is available in time (the caller forwards
   * unchecked). `waitUntil` keeps a background refresh alive after the triggering response is sent.
   */
  async get(waitUntil) {
    const now = this.now();
    const snapshot = this.current;
    const age = snapshot ? now - snapshot.builtAt : Infinity;
    if (age < this.ttlMs) return snapshot;
    const refresh = this.refresh();
    if (age < this.ttlMs * MAX_STALE_FACTOR) {
      waitUntil?.(refresh.catch(() => {}));
      return snapshot;
    }
    return await withTimeout(refresh, this.waitMs).catch(() => null);
  }

  /** Starts a rebuild unless one is already running; resolves to the new snapshot. */
  refresh() {
    if (this.pending) return this.pending;
    const started = this.now();
    this.pending = this.build()
      .then(({ principal, tokens }) => {
        this.current = new Snapshot(principal, tokens, started, this.ttlMs);
        this.lastError = null;
        return this.current;
      })
      .catch((error) => {
        this.lastError = error;
        throw error;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no snapshot within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
