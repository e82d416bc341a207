/// <reference lib="esnext.disposable" preserve="true" />
// "tokengate/checks" for workerd: the checks module imported as a compiled module, as `../workerd.mts` does.
import wasmModule from "./tokengate_bg.wasm";
import { initSync } from "./tokengate.js";
import { install } from "./install.mjs";

initSync({ module: wasmModule });
install();

export { Principal, Policy, evaluate, validatePolicy, parseResource } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "../errors.mjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "../errors.mjs";
