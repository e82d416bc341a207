/// <reference lib="esnext.disposable" preserve="true" />
// workerd (Cloudflare Workers) entry: the runtime forbids compiling WebAssembly from bytes at run time, so
// the module is imported as a compiled module (the bundler or the worker config declares the `.wasm`).
import wasmModule from "./tokengate_bg.wasm";
import { initSync } from "./tokengate.js";
import { install } from "./install.mjs";

initSync({ module: wasmModule });
install();

export { TokensClient, Principal, Policy, evaluate, validatePolicy, parseResource, comparePolicies, auditTokens } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "./errors.mjs";
