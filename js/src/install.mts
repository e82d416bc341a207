// Binds the package's completion to the main module's glue: the package's `evaluate`, which keeps the statements it
// has compiled (it calls the glue only when called, so it can be made before instantiation), and `install`.
import * as glue from "./tokengate.js";
import { cachedEvaluate } from "./decision.mjs";
import { complete } from "./complete.mjs";
import type { Glue } from "./complete.mjs";
import type { evaluate as GlueEvaluate } from "./tokengate.js";

/**
 * Checks `action` on `resource` against a list of statements and explains the answer. Statements seen before
 * are not read and compiled again, and an answer given before is given again (a fresh copy).
 *
 * Throws a `PolicyError` when the statements are malformed or the resource specifier does not parse, and a
 * `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
 */
// The one declaration every ES entry of the main module re-exports; see `cachedEvaluate` for what it keeps.
export const evaluate: typeof GlueEvaluate = cachedEvaluate(glue as typeof glue & Glue);

/** Completes the glue; each entry calls it once the module is instantiated. */
export function install(): void {
  complete(glue as typeof glue & Glue);
}
