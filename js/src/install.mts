// Binds the package's completion to the main module's glue: `install`, which each entry calls once the module is
// instantiated.
import * as glue from "./tokengate.js";
import { complete } from "./complete.mjs";
import type { Glue } from "./complete.mjs";

/** Completes the glue; each entry calls it once the module is instantiated. */
export function install(): void {
  complete(glue as typeof glue & Glue);
}
