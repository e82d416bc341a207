/// <reference lib="esnext.disposable" preserve="true" />
// Node (and Deno) ES module entry: instantiates the module synchronously from the file next to this one,
// so `import { TokensClient } from "tokengate"` is ready to use without an init call.
//
// The reference above is kept in the declarations: the generated classes declare [Symbol.dispose], and the
// declarations pull in the lib that types it, so that consumers compiling against es2022 need no change to
// their configuration.
import { readFileSync } from "node:fs";
import { initSync } from "./tokengate.js";
import { install } from "./install.mjs";

initSync({ module: readFileSync(new URL("./tokengate_bg.wasm", import.meta.url)) });
install();

export { TokensClient, Principal, Policy, evaluate, validatePolicy, parseResource, comparePolicies, auditTokens } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "./errors.mjs";
