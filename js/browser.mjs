// Browser and bundler entry: the module travels inside this file (base64), so it works in any bundler
// without plugins, asset rules or top-level await, and is ready as soon as it is imported. For a separate,
// streamed `.wasm` file, import "tokengate/web" and call its `init()`.
import { initSync } from "./tokengate.js";
import { install } from "./install.mjs";
import wasmBase64 from "./tokengate_bg.wasm.b64.mjs";

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

initSync({ module: decodeBase64(wasmBase64) });
install();

export { TokensClient, Principal, evaluate, validatePolicy, parseResource } from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
