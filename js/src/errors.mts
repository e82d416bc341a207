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

/**
 * Most values (leaves and containers) one argument may hold as JSON. An object reached along several paths is
 * written once per path, so a small graph of shared objects can unfold into an astronomical text (100 levels of
 * `[v, v]` is 2^100 values): the bound stops the writing early. A million is more than 1.5 times what a
 * 100,000-statement policy needs.
 */
const MAX_ARGUMENT_VALUES = 1_000_000;

/**
 * An argument as JSON text for the WebAssembly side, which parses it with its own depth limit and names the JSON
 * pointer of whatever does not fit. Throws (and the module turns what it threw into a `TypeError` with `code`
 * `invalid_argument`, naming the argument) for what JSON cannot hold: a cycle or a `BigInt` (`JSON.stringify`'s
 * own errors), a throwing getter or proxy trap (its error), nesting deep enough to exhaust the stack (a
 * `RangeError`), a number that is not finite, or more than {@link MAX_ARGUMENT_VALUES} values. Handed to the
 * module once at start-up; not part of the package's API.
 */
export function encodeArgument(value: unknown): string | undefined {
  let values = 0;
  return JSON.stringify(value, (_key, item: unknown) => {
    if (++values > MAX_ARGUMENT_VALUES) {
      throw new RangeError(`more than ${MAX_ARGUMENT_VALUES} values (an object reached along several paths counts each time)`);
    }
    if (typeof item === "number" && !Number.isFinite(item)) throw new RangeError(`${item} is not a finite number`);
    return item;
  });
}
