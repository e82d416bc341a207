import type { InitInput, InitOutput, SyncInitInput } from "./tokengate.js";

/** Fetches (by default `tokengate_bg.wasm` next to this module) and instantiates the module. Call once. */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<InitOutput>;
/** Instantiates the module from bytes or a compiled `WebAssembly.Module`. */
export function initSync(input: { module: SyncInitInput }): InitOutput;

export { TokensClient, Principal, evaluate, validatePolicy, parseResource, comparePolicies } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
export type { ApiErrorCode, InvalidArgumentError } from "./errors.mjs";
