// Completes the generated glue once the module is instantiated: hands the error classes to the
// WebAssembly side and defines `Principal.prototype.can` and `explain`.
import { Principal, __setErrorClasses } from "./tokengate.js";
import { ApiError, PolicyError } from "./errors.mjs";
import { installDecisions } from "./decision.mjs";

export function install() {
  __setErrorClasses(ApiError, PolicyError);
  installDecisions(Principal);
}
