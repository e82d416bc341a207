// What every entry does once its module is instantiated, whichever module it loads (the main one or the smaller
// `tokengate/checks` one): hands the error classes and the argument encoder to the WebAssembly side, makes
// `Principal` and `Policy` remember the answers they gave, and makes every class's members throw a coded
// `TypeError` once their object is freed.
import { ApiError, PolicyError, encodeArgument } from "./errors.mjs";
import { guardFreed, installDecisions } from "./decision.mjs";

/** What the package completes of a glue: the parts both modules have. */
export interface Glue {
  readonly Principal: { readonly prototype: object };
  readonly Policy: { readonly prototype: object };
  /**
   * Hands the WebAssembly side the error classes, which it constructs for every error it throws, and the encoder
   * that writes arguments as JSON text.
   */
  __setHost(apiError: typeof ApiError, policyError: typeof PolicyError, encode: typeof encodeArgument): void;
}

/** Completes `glue`; call it once its module is instantiated (again is harmless). */
export function complete(glue: Glue): void {
  glue.__setHost(ApiError, PolicyError, encodeArgument);
  installDecisions(glue.Principal);
  installDecisions(glue.Policy);
  guardFreed(glue);
}
