/// <reference lib="esnext.disposable" preserve="true" />
// "tokengate/web": explicit initialisation, for pages that want the `.wasm` as its own (streamed, cached)
// file. Call `await init()` once before using anything else; by default it fetches `tokengate_bg.wasm`
// next to this file.
import initModule, { initSync as initModuleSync } from "./tokengate.js";
import type { InitInput, InitOutput, SyncInitInput } from "./tokengate.js";
import { install } from "./install.mjs";

/** Fetches (by default `tokengate_bg.wasm` next to this module) and instantiates the module. Call once. */
export default async function init(
  input?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<InitOutput> {
  // The glue has no default path of its own: bundlers made it a .wasm asset of every page that imports the glue,
  // the default entry's too, which inlines the module. Of the browser entries only this one fetches the file.
  const exports = await initModule(input ?? { module_or_path: new URL("./tokengate_bg.wasm", import.meta.url) });
  install();
  return exports;
}

/** Instantiates the module from bytes or a compiled `WebAssembly.Module`. */
export function initSync(input: { module: SyncInitInput }): InitOutput {
  const exports = initModuleSync(input);
  install();
  return exports;
}

export { TokensClient, Principal, validatePolicy, parseResource, comparePolicies, auditTokens } from "./tokengate.js";
export type * from "./tokengate.js";
export { evaluate } from "./install.mjs";
export { ApiError, PolicyError } from "./errors.mjs";
export type { ApiErrorCode, InvalidArgumentError } from "./errors.mjs";
