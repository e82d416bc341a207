// "tokengate/web": explicit initialisation, for pages that want the `.wasm` as its own (streamed, cached)
// file. Call `await init()` once before using anything else; by default it fetches `tokengate_bg.wasm`
// next to this file.
import initModule, { initSync as initModuleSync } from "./tokengate.js";
import { install } from "./install.mjs";

export default async function init(input) {
  // The glue has no default path of its own: bundlers made it a .wasm asset of every page that imports the glue,
  // the default entry's too, which inlines the module. Of the browser entries only this one fetches the file.
  const exports = await initModule(input ?? { module_or_path: new URL("./tokengate_bg.wasm", import.meta.url) });
  install();
  return exports;
}

export function initSync(input) {
  const exports = initModuleSync(input);
  install();
  return exports;
}

export { TokensClient, Principal, evaluate, validatePolicy, parseResource, comparePolicies } from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
