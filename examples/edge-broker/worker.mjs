// Edge broker for LaunchDarkly's Access Tokens API.
//
// A browser page must never hold an access token (LaunchDarkly's own rule). This worker holds it instead, as a
// secret binding, and serves the token endpoints (plus the identity reads a console needs) to same-origin pages,
// forwarding each call to the upstream API with the secret attached. Before forwarding it runs tokengate's copy of
// LaunchDarkly's token rules against its own Principal and answers the calls that are certain to fail itself,
// in LaunchDarkly's error shape plus the reason, so a refused click costs no upstream request or rate-limit budget.
//
// Bindings (config.capnp): LD_ACCESS_TOKEN (secret), UPSTREAM (base URL), and optional EDGE_CHECK ("off" disables
// the check), API_VERSION, ALLOWED_ORIGINS (comma-separated extra origins), PRINCIPAL_TTL_MS, LOG_REQUESTS ("1"),
// and ASSETS, a directory of static files served at every non-API path (the page that uses the broker).

import { TokensClient } from "tokengate";
import { classify, TOKEN_OPERATIONS } from "./lib/routes.mjs";
import { SnapshotCache } from "./lib/snapshot.mjs";
import { refusalFor } from "./lib/edge-check.mjs";
import { DEFAULT_API_VERSION, errorResponse, forward } from "./lib/http.mjs";
import { obfuscate, redact, withoutSecret } from "./lib/redact.mjs";
import { serveAsset } from "./lib/assets.mjs";

const DEFAULT_TTL_MS = 30_000;
/** How long a request waits for the isolate's first snapshot before it is forwarded unchecked. */
const SNAPSHOT_WAIT_MS = 5_000;
const MAX_BODY_BYTES = 256 * 1024;
const STATUS_PATH = "/_broker/status";

/** Per-isolate state, keyed by the configuration it was built for. */
let isolate = null;

export default {
  async fetch(request, env, ctx) {
    const config = readConfig(env);
    if (typeof config === "string") {
      console.error(`edge-broker misconfigured: ${config}`);
      return errorResponse(500, { code: "internal_error", message: `Broker misconfigured: ${config}` });
    }
    const state = isolateState(config);
    const started = Date.now();
    const response = await handle(request, env, config, state, ctx).catch((error) => {
      console.error(`edge-broker error: ${redact(error?.stack ?? error, config.secret)}`);
      return errorResponse(502, { code: "upstream_unavailable", message: "The broker could not reach the API." });
    });
    if (config.logRequests || response.headers.get("x-tokengate-edge") === "refused") {
      const url = new URL(request.url);
      console.log(
        JSON.stringify({
          method: request.method,
          path: url.pathname,
          status: response.status,
          edge: response.headers.get("x-tokengate-edge"),
          ms: Date.now() - started,
        }),
      );
    }
    return response;
  },
};

function readConfig(env) {
  const secret = typeof env.LD_ACCESS_TOKEN === "string" ? env.LD_ACCESS_TOKEN.trim() : "";
  const base = typeof env.UPSTREAM === "string" ? env.UPSTREAM.trim() : "";
  if (!secret) return "LD_ACCESS_TOKEN is not set";
  if (!/^https?:\/\//.test(base)) return "UPSTREAM must be an http(s) URL";
  const ttl = Number(env.PRINCIPAL_TTL_MS);
  return {
    secret,
    base,
    check: String(env.EDGE_CHECK ?? "on").toLowerCase() !== "off",
    apiVersion: env.API_VERSION || DEFAULT_API_VERSION,
    allowedOrigins: new Set(
      String(env.ALLOWED_ORIGINS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    ttlMs: Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_TTL_MS,
    logRequests: env.LOG_REQUESTS === "1",
  };
}

function isolateState(config) {
  const key = `${config.base}\n${config.secret}\n${config.ttlMs}`;
  if (isolate?.key !== key) {
    isolate = {
      key,
      snapshots: new SnapshotCache(() => loadSnapshot(config), { ttlMs: config.ttlMs, waitMs: SNAPSHOT_WAIT_MS }),
    };
  }
  return isolate;
}

/** The broker's own Principal and the tokens it can see, loaded with the package's client. */
async function loadSnapshot(config) {
  const client = new TokensClient({
    token: config.secret,
    baseUrl: config.base,
    apiVersion: config.apiVersion,
    // A snapshot is an optimisation: when rate-limited, forward unchecked now rather than sleep inside a request.
    maxRetries: 0,
    fetch: (input, init) => fetch(input, init),
  });
  const principal = await client.principal();
  const tokens = [];
  const all = await client.listAll({ showAll: true });
  for await (const token of all) tokens.push(withoutSecret(token));
  console.log(`edge-broker: principal loaded for token ${obfuscate(config.secret)}, ${tokens.length} visible tokens`);
  return { principal, tokens };
}

async function handle(request, env, config, state, ctx) {
  const url = new URL(request.url);
  const crossOrigin = crossOriginReason(request, url, config);
  if (crossOrigin) {
    return errorResponse(403, { code: "forbidden", message: "Cross-origin requests are not served.", reason: crossOrigin });
  }
  if (url.pathname === STATUS_PATH && request.method === "GET") return statusResponse(config, state);
  if (!url.pathname.startsWith("/api/") && (request.method === "GET" || request.method === "HEAD") && env.ASSETS) {
    return serveAsset(request, env.ASSETS);
  }

  const route = classify(request.method, url.pathname);
  if (route.status === "not_found") return errorResponse(404, { code: "not_found", message: "Invalid resource identifier" });
  if (route.status === "method_not_allowed") {
    return errorResponse(
      405,
      { code: "method_not_allowed", message: `Use ${route.allow.join(", ")} here.` },
      { allow: route.allow.join(", ") },
    );
  }

  let bodyText;
  if (request.method === "POST" || request.method === "PATCH") {
    bodyText = await request.text();
    if (bodyText.length > MAX_BODY_BYTES) {
      return errorResponse(413, { code: "invalid_request", message: "Request body too large" });
    }
    const type = request.headers.get("content-type") ?? "";
    if (bodyText.length > 0 && !/^application\/json\b/i.test(type)) {
      // Also keeps HTML forms on other sites from posting here: they cannot send this content type.
      return errorResponse(400, { code: "invalid_request", message: "Content-Type must be application/json" });
    }
  }

  const forwardOptions = { base: config.base, secret: config.secret, apiVersion: config.apiVersion, bodyText };
  if (!config.check) return forward(request, { ...forwardOptions, edge: "unchecked" });

  const snapshot = await state.snapshots.get((p) => ctx.waitUntil(p));
  if (!snapshot) {
    const why = state.snapshots.lastError ? redact(state.snapshots.lastError.message ?? state.snapshots.lastError, config.secret) : "timeout";
    console.warn(`edge-broker: no principal snapshot (${why}); forwarding unchecked`);
    return forward(request, { ...forwardOptions, edge: "unchecked" });
  }

  let refusal = null;
  try {
    refusal = refusalFor(snapshot, route, parseJson(bodyText), Date.now());
  } catch (error) {
    // The package rejects bodies it cannot read as tokens or patches; the upstream answers those with its own 400.
    if (config.logRequests) console.log(`edge-broker: check skipped (${redact(error?.message ?? error, config.secret)})`);
  }
  if (refusal) {
    const { status, ...body } = refusal;
    return errorResponse(status, body);
  }
  const response = await forward(request, { ...forwardOptions, edge: "checked" });
  learnFrom(snapshot, route, response, ctx);
  return response;
}

/**
 * Keeps the snapshot's token index current from the answers that pass through. Bodies are read (from a clone,
 * after the answer is on its way) only when they can teach something: a token already in the index keeps the
 * fields the checks read (its member, whether it is a service token), so re-reading it would be wasted work.
 */
function learnFrom(snapshot, route, response, ctx) {
  const { status } = response;
  const isToken = TOKEN_OPERATIONS.has(route.operation);
  if (isToken && (status === 404 || (route.operation === "delete" && status === 204))) {
    snapshot.forget(route.tokenId, Date.now());
    return;
  }
  if (status < 200 || status >= 300 || status === 204) return;
  if (isToken && snapshot.tokens.has(route.tokenId)) return;
  if (!isToken && route.operation !== "list" && route.operation !== "create") return;
  ctx.waitUntil(readAndLearn(snapshot, route, response.clone()));
}

async function readAndLearn(snapshot, route, response) {
  const body = await response.json().catch(() => null);
  if (!body) return;
  if (route.operation === "list") {
    for (const token of Array.isArray(body.items) ? body.items : []) snapshot.learn(withoutSecret(token));
  } else {
    snapshot.learn(withoutSecret(body));
  }
}

/**
 * Why a request must be refused as cross-origin, or null. Browsers send `Origin` on every cross-origin request
 * and every non-GET request, and `Sec-Fetch-Site` on all of them; both are checked so neither alone is trusted.
 */
function crossOriginReason(request, url, config) {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== url.origin && !config.allowedOrigins.has(origin)) {
    return `origin ${origin} is not this broker's origin`;
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" && !(origin !== null && config.allowedOrigins.has(origin))) {
    return "cross-site requests are not served";
  }
  return null;
}

function parseJson(text) {
  if (text === undefined || text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Operational view: whether the check is on and what the snapshot holds. Never includes the secret. */
function statusResponse(config, state) {
  const snapshot = state.snapshots.current;
  const body = {
    check: config.check ? "on" : "off",
    token: obfuscate(config.secret),
    upstream: config.base,
    snapshot: snapshot
      ? { ageMs: Date.now() - snapshot.builtAt, ttlMs: snapshot.ttlMs, knownTokens: snapshot.tokens.size, knownMissing: snapshot.missing.size }
      : null,
    lastError: state.snapshots.lastError ? redact(state.snapshots.lastError.message ?? state.snapshots.lastError, config.secret) : null,
  };
  return new Response(JSON.stringify(body), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
}
