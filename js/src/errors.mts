/* @ts-self-types="./errors.d.mts" */
// The error classes of the package. Real `Error` subclasses; the WebAssembly side constructs them with the
// message and then sets the fields.
//
// `instanceof` works across copies of the package (an ESM and a CommonJS copy loaded side by side, two
// bundles): each instance carries a brand under a registered symbol, and `Symbol.hasInstance` checks it.
//
// The one source of errors.mjs and (through the link errors.cts) errors.cjs, and of their declarations.

import type { Diagnostic, Span } from "./tokengate.js" with { "resolution-mode": "import" };

/** Codes of `ApiError`: the server's, and the client's own (`network_error`, `aborted`, ...). */
export type ApiErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "optimistic_locking_error"
  | "patch_failed"
  | "rate_limited"
  | "network_error"
  | "aborted"
  | "unexpected_response"
  | "invalid_argument"
  | (string & {});

/**
 * What `evaluate`, `parseResource`, `Principal.fromToken` and the methods of a `Principal` throw for an argument
 * of the wrong type or shape (a number where a string goes, statements that are not an array, a token object
 * that does not decode, a value nested too deep to read): JavaScript's own `TypeError`, named after the argument
 * (`TypeError: statements must be an array of statements`), with `code` set. Test it with
 * `e instanceof TypeError && e.code === "invalid_argument"`. The client's own argument errors are `ApiError`s
 * with the same code (a client call fails one way, as a rejected promise).
 */
export interface InvalidArgumentError extends TypeError {
  readonly code: "invalid_argument";
}

/**
 * What every method and getter of a freed object (a `Principal` or a `TokensClient` after `free()`, or after the
 * `using` block that held it ended) throws: JavaScript's own `TypeError`, naming the class and the member, with
 * `code` set. Test it with `e instanceof TypeError && e.code === "freed"`. Freeing again does nothing.
 */
export interface FreedError extends TypeError {
  readonly code: "freed";
}

type ErrorKind = "ApiError" | "PolicyError";

const BRAND: unique symbol = Symbol.for("tokengate.error");

function isBranded(value: unknown, kind: ErrorKind): boolean {
  return typeof value === "object" && value !== null && (value as { readonly [BRAND]?: unknown })[BRAND] === kind;
}

/** A failed API call. Messages never contain a token secret. */
export class ApiError extends Error {
  declare readonly name: "ApiError";
  /** HTTP status, or 0 when no response was received. */
  declare readonly status: number;
  declare readonly code: ApiErrorCode;
  /** The server's request id, when it sent one. */
  declare readonly requestId: string | undefined;
  /** For 429: how long the server asked to wait, in milliseconds. */
  declare readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    details: { status?: number; code?: ApiErrorCode; requestId?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
    Object.defineProperty(this, BRAND, { value: "ApiError" });
    this.name = "ApiError";
    this.status = details.status ?? 0;
    this.code = details.code ?? "unknown";
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === ApiError ? isBranded(value, "ApiError") : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * What the policy engine refuses: a policy that cannot be compiled (`invalid_policy`, with every problem in
 * `diagnostics`) or a resource specifier that does not parse (its `code`, and the characters at fault in `span`).
 * An argument of the wrong type is an {@link InvalidArgumentError} instead.
 */
export class PolicyError extends Error {
  declare readonly name: "PolicyError";
  declare readonly code: string;
  /** For a specifier that does not parse: the characters at fault. */
  declare readonly span: Span | undefined;
  /** Every problem found in a policy that cannot be compiled. */
  declare readonly diagnostics: Diagnostic[];

  constructor(message: string, details: { code?: string; span?: Span; diagnostics?: Diagnostic[] } = {}) {
    super(message);
    Object.defineProperty(this, BRAND, { value: "PolicyError" });
    this.name = "PolicyError";
    this.code = details.code ?? "unknown";
    this.span = details.span;
    this.diagnostics = details.diagnostics ?? [];
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === PolicyError ? isBranded(value, "PolicyError") : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
