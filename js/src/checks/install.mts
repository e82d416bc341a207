// Binds the package's completion to the checks module's glue (see `../install.mts`, its twin for the main module).
import * as glue from "./tokengate.js";
import { complete } from "../complete.mjs";
import type { Glue } from "../complete.mjs";

/** Completes the glue; each entry calls it once the module is instantiated. */
export function install(): void {
  complete(glue as typeof glue & Glue);
}
