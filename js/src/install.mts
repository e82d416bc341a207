// Completes the generated glue once the module is instantiated: hands the error classes to the
// WebAssembly side and defines `Principal.prototype.can` and `explain`. Also the package's `evaluate`, which keeps
// the statements it has compiled (it calls the glue only when called, so it can be made before instantiation).
import * as glue from "./tokengate.js";
import { ApiError, PolicyError } from "./errors.mjs";
import { cachedEvaluate, installDecisions } from "./decision.mjs";
import type { EvaluateGlue } from "./decision.mjs";

/** What the glue exports besides its declarations (`skip_typescript` on the Rust side: not public). */
interface GlueInternals extends EvaluateGlue {
  /** Hands the error classes to the WebAssembly side, which constructs them for every error it throws. */
  __setErrorClasses(apiError: typeof ApiError, policyError: typeof PolicyError): void;
}

/** `evaluate`, keeping compiled statements (see `cachedEvaluate`). */
export const evaluate = cachedEvaluate(glue as typeof glue & GlueInternals);

export function install(): void {
  (glue as typeof glue & GlueInternals).__setErrorClasses(ApiError, PolicyError);
  installDecisions(glue.Principal);
}
