/// <reference lib="esnext.disposable" preserve="true" />
// "tokengate/checks" for browsers and bundlers: the checks module inlined, as the main browser entry inlines its
// own (`../browser.mts`). For a separate, streamed `.wasm` file, import "tokengate/checks/web".
import init from "./tokengate.js";
import { install } from "./install.mjs";
import { inflate } from "../inflate.mjs";
import wasmGzipBase64 from "./tokengate_bg.wasm.gz.b64.mjs";

await init({ module_or_path: inflate(wasmGzipBase64) });
install();

export { Principal, Policy, evaluate, validatePolicy, parseResource } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "../errors.mjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "../errors.mjs";
