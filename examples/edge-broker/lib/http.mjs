// Talking to the upstream API and answering the browser.

export const DEFAULT_API_VERSION = "20240415";

/** Request headers passed on from the browser; everything else (cookies, the browser's own Authorization) stays behind. */
const FORWARDED_REQUEST_HEADERS = ["accept", "content-type", "ld-api-version"];

/** Response headers that describe the broker's connection to the upstream, not the answer itself. */
const DROPPED_RESPONSE_HEADERS = ["set-cookie", "connection", "keep-alive", "transfer-encoding"];

/** The upstream URL for a browser request: same path and query under the configured base. */
export function upstreamUrl(base, requestUrl) {
  const url = new URL(requestUrl);
  return `${base.replace(/\/+$/, "")}${url.pathname}${url.search}`;
}

/**
 * Sends the browser's request upstream with the broker's secret and returns the upstream answer unchanged
 * (status, body, rate-limit headers, Retry-After), plus an `X-Tokengate-Edge` header saying what the edge did.
 */
export async function forward(request, { base, secret, apiVersion, bodyText, edge }) {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (!headers.has("ld-api-version")) headers.set("ld-api-version", apiVersion);
  headers.set("authorization", secret);
  const init = { method: request.method, headers, redirect: "manual" };
  if (bodyText !== undefined && bodyText.length > 0) init.body = bodyText;
  const upstream = await fetch(upstreamUrl(base, request.url), init);
  const response = new Response(upstream.body, upstream);
  for (const name of DROPPED_RESPONSE_HEADERS) response.headers.delete(name);
  response.headers.set("x-tokengate-edge", edge);
  return response;
}

/** A JSON answer in LaunchDarkly's error shape `{code, message}`, with any extra fields (such as `reason`). */
export function errorResponse(status, body, extraHeaders = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-tokengate-edge": "refused", ...extraHeaders },
  });
}
