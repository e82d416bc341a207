/// <reference lib="esnext.disposable" preserve="true" />
// "tokengate/checks/web": the checks module with explicit initialisation, as "tokengate/web" (`../web.mts`) for
// the main one. Call `await init()` once; by default it fetches `tokengate_bg.wasm` next to this file.
import initModule, { initSync as initModuleSync } from "./tokengate.js";
import type { InitInput, InitOutput, SyncInitInput } from "./tokengate.js";
import { install } from "./install.mjs";
import { initialisers } from "../initialise.mjs";

const initialise = initialisers<InitInput, InitOutput, SyncInitInput>(
  { init: initModule, initSync: initModuleSync },
  new URL("./tokengate_bg.wasm", import.meta.url),
  install,
);

/** Fetches (by default `tokengate_bg.wasm` next to this module) and instantiates the module. Call once. */
export default function init(input?: { module_or_path: InitInput | Promise<InitInput> }): Promise<InitOutput> {
  return initialise.init(input);
}

/** Instantiates the module from bytes or a compiled `WebAssembly.Module`. */
export function initSync(input: { module: SyncInitInput }): InitOutput {
  return initialise.initSync(input);
}

export { Principal, Policy, evaluate, validatePolicy, parseResource } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "../errors.mjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "../errors.mjs";
