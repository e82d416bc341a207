/// <reference lib="esnext.disposable" preserve="true" />
// "tokengate/checks" for Node and Deno (ES modules): the permission checks alone (`Principal`, `Policy`, `evaluate`,
// `validatePolicy`, `parseResource`) in a module of less than two thirds the bytes, without `TokensClient`, the
// comparisons, the audit, and `checkPatch`/`checkCreate`, which are the main module's. Ready on import.
import { readFileSync } from "node:fs";
import { initSync } from "./tokengate.js";
import { install } from "./install.mjs";

initSync({ module: readFileSync(new URL("./tokengate_bg.wasm", import.meta.url)) });
install();

export { Principal, Policy, evaluate, validatePolicy, parseResource } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "../errors.mjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "../errors.mjs";
