// Hands the error classes to the WebAssembly side once it is instantiated.
import { __setErrorClasses } from "./tokengate.js";
import { ApiError, PolicyError } from "./errors.mjs";

export function install() {
  __setErrorClasses(ApiError, PolicyError);
}
