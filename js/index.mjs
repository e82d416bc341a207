// Node (and Deno) ES module entry: instantiates the module synchronously from the file next to this one,
// so `import { TokensClient } from "tokengate"` is ready to use without an init call.
import { readFileSync } from "node:fs";
import { initSync } from "./tokengate.js";
import { install } from "./install.mjs";

initSync({ module: readFileSync(new URL("./tokengate_bg.wasm", import.meta.url)) });
install();

export { TokensClient, Principal, evaluate, validatePolicy, parseResource, comparePolicies } from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
