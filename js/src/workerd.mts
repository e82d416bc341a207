/// <reference lib="esnext.disposable" preserve="true" />
// workerd (Cloudflare Workers) entry: the runtime forbids compiling WebAssembly from bytes at run time, so
// the module is imported as a compiled module (the bundler or the worker config declares the `.wasm`).
import wasmModule from "./tokengate_bg.wasm";
import { initSync } from "./tokengate.js";
import { evaluate as keptEvaluate, install } from "./install.mjs";
import type { evaluate as GlueEvaluate } from "./tokengate.js";

initSync({ module: wasmModule });
install();

export { TokensClient, Principal, validatePolicy, parseResource, comparePolicies, auditTokens } from "./tokengate.js";
export type * from "./tokengate.js";
/**
 * Checks `action` on `resource` against a list of statements and explains the answer. Statements seen before
 * are not read and compiled again, and an answer given before is given again (a fresh copy).
 *
 * Throws a `PolicyError` when the statements are malformed or the resource specifier does not parse, and a
 * `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
 */
export const evaluate: typeof GlueEvaluate = keptEvaluate;
export { ApiError, PolicyError } from "./errors.mjs";
export type { ApiErrorCode, InvalidArgumentError } from "./errors.mjs";
