/// <reference lib="esnext.disposable" preserve="true" />
// "tokengate/web": explicit initialisation, for pages that want the `.wasm` as its own (streamed, cached)
// file. Call `await init()` once before using anything else; by default it fetches `tokengate_bg.wasm`
// next to this file.
import initModule, { initSync as initModuleSync } from "./tokengate.js";
import type { InitInput, InitOutput, SyncInitInput } from "./tokengate.js";
import { evaluate as keptEvaluate, install } from "./install.mjs";
import type { evaluate as GlueEvaluate } from "./tokengate.js";

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
