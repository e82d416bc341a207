// Completes the generated glue once the module is instantiated: hands the error classes to the
// WebAssembly side and defines `Principal.prototype.can` and `explain`.
import * as glue from "./tokengate.js";
import { ApiError, PolicyError } from "./errors.mjs";
import { installDecisions } from "./decision.mjs";

/** What the glue exports besides its declarations (`skip_typescript` on the Rust side: not public). */
interface GlueInternals {
  /** Hands the error classes to the WebAssembly side, which constructs them for every error it throws. */
  __setErrorClasses(apiError: typeof ApiError, policyError: typeof PolicyError): void;
}

export function install(): void {
  (glue as typeof glue & GlueInternals).__setErrorClasses(ApiError, PolicyError);
  installDecisions(glue.Principal);
}
