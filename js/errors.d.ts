import type { Diagnostic, Span } from "./tokengate.js";

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

/** A failed API call. Messages never contain a token secret. */
export declare class ApiError extends Error {
  constructor(
    message: string,
    details?: { status?: number; code?: ApiErrorCode; requestId?: string; retryAfterMs?: number },
  );
  readonly name: "ApiError";
  /** HTTP status, or 0 when no response was received. */
  readonly status: number;
  readonly code: ApiErrorCode;
  /** The server's request id, when it sent one. */
  readonly requestId: string | undefined;
  /** For 429: how long the server asked to wait, in milliseconds. */
  readonly retryAfterMs: number | undefined;
}

/**
 * What the policy engine refuses: a policy that cannot be compiled (`invalid_policy`, with every problem in
 * `diagnostics`) or a resource specifier that does not parse (its `code`, and the characters at fault in `span`).
 * An argument of the wrong type is an {@link InvalidArgumentError} instead.
 */
export declare class PolicyError extends Error {
  constructor(message: string, details?: { code?: string; span?: Span; diagnostics?: Diagnostic[] });
  readonly name: "PolicyError";
  readonly code: string;
  /** For a specifier that does not parse: the characters at fault. */
  readonly span: Span | undefined;
  /** Every problem found in a policy that cannot be compiled. */
  readonly diagnostics: Diagnostic[];
}

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
