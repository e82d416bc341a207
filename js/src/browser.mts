/// <reference lib="esnext.disposable" preserve="true" />
// Browser and bundler entry: the module travels inside this file, gzip-compressed and base64-encoded, so it works
// in any bundler without plugins or asset rules, and is ready once the import settles (a top-level await). The
// browser's own DecompressionStream inflates it while WebAssembly compiles it, off the main thread. For a
// separate, streamed `.wasm` file, import "tokengate/web" and call its `init()`.
import init from "./tokengate.js";
import { install } from "./install.mjs";
import { inflate } from "./inflate.mjs";
import wasmGzipBase64 from "./tokengate_bg.wasm.gz.b64.mjs";

await init({ module_or_path: inflate(wasmGzipBase64) });
install();

export { TokensClient, Principal, Policy, evaluate, validatePolicy, parseResource, comparePolicies, auditTokens } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "./errors.mjs";
