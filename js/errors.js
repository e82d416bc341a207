// The error classes of the package. Real `Error` subclasses; the WebAssembly side constructs them with the
// message and then sets the fields.
//
// `instanceof` works across copies of the package (an ESM and a CommonJS copy loaded side by side, two
// bundles): each instance carries a brand under a registered symbol, and `Symbol.hasInstance` checks it.

const BRAND = Symbol.for("tokengate.error");

function isBranded(value, kind) {
  return typeof value === "object" && value !== null && value[BRAND] === kind;
}

/** A failed API call: `status` (0 when no response arrived), `code`, `requestId`, and for 429 `retryAfterMs`. */
export class ApiError extends Error {
  constructor(message, details = {}) {
    super(message);
    Object.defineProperty(this, BRAND, { value: "ApiError" });
    this.name = "ApiError";
    this.status = details.status ?? 0;
    this.code = details.code ?? "unknown";
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }

  static [Symbol.hasInstance](value) {
    return this === ApiError ? isBranded(value, "ApiError") : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * A policy the engine cannot compile or a specifier it cannot parse: `code`, `span` (for specifiers),
 * `diagnostics`. (An argument of the wrong type is a `TypeError` with `code` "invalid_argument".)
 */
export class PolicyError extends Error {
  constructor(message, details = {}) {
    super(message);
    Object.defineProperty(this, BRAND, { value: "PolicyError" });
    this.name = "PolicyError";
    this.code = details.code ?? "unknown";
    this.span = details.span;
    this.diagnostics = details.diagnostics ?? [];
  }

  static [Symbol.hasInstance](value) {
    return this === PolicyError ? isBranded(value, "PolicyError") : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
