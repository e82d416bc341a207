// Completes the generated glue once the module is instantiated: hands the error classes to the
// WebAssembly side and defines `Principal.prototype.can` and `explain`. Also the package's `evaluate`, which keeps
// the statements it has compiled (it calls the glue only when called, so it can be made before instantiation).
import * as glue from "./tokengate.js";
import { ApiError, PolicyError } from "./errors.mjs";
import { cachedEvaluate, installDecisions } from "./decision.mjs";
import type { EvaluateGlue } from "./decision.mjs";
import type { evaluate as GlueEvaluate } from "./tokengate.js";

/** What the glue exports besides its declarations (`skip_typescript` on the Rust side: not public). */
interface GlueInternals extends EvaluateGlue {
  /** Hands the error classes to the WebAssembly side, which constructs them for every error it throws. */
  __setErrorClasses(apiError: typeof ApiError, policyError: typeof PolicyError): void;
}

/**
 * Checks `action` on `resource` against a list of statements and explains the answer. Statements seen before
 * are not read and compiled again, and an answer given before is given again (a fresh copy).
 *
 * Throws a `PolicyError` when the statements are malformed or the resource specifier does not parse, and a
 * `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
 */
// The one declaration every ES entry re-exports (it calls the glue only when called, so it can be made before
// the module is instantiated); see `cachedEvaluate` for what it keeps.
export const evaluate: typeof GlueEvaluate = cachedEvaluate(glue as typeof glue & GlueInternals);

/** Completes the glue; each entry calls it once the module is instantiated. */
export function install(): void {
  (glue as typeof glue & GlueInternals).__setErrorClasses(ApiError, PolicyError);
  installDecisions(glue.Principal);
}
