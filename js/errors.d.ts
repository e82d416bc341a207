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

/** A policy, resource specifier or argument the policy engine cannot use. */
export declare class PolicyError extends Error {
  constructor(message: string, details?: { code?: string; span?: Span; diagnostics?: Diagnostic[] });
  readonly name: "PolicyError";
  readonly code: string;
  /** For a specifier that does not parse: the characters at fault. */
  readonly span: Span | undefined;
  /** Every problem found in a policy that cannot be compiled. */
  readonly diagnostics: Diagnostic[];
}
