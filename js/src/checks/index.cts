/// <reference lib="esnext.disposable" preserve="true" />
// CommonJS "tokengate/checks" (`require("tokengate/checks")`): the checks module's Node glue instantiates it
// synchronously on load; completed as `../index.cts` completes the main one.
import glue = require("./tokengate_node.cjs");
import { ApiError, PolicyError, encodeArgument } from "../errors.cjs";
import { cachedEvaluate, guardFreed, installDecisions } from "../decision.cjs";
import type { EvaluateGlue } from "../decision.cjs";

// `__setHost` is left out of the generated declarations (`skip_typescript`): it is not public.
(glue as typeof glue & {
  __setHost(apiError: typeof ApiError, policyError: typeof PolicyError, encode: typeof encodeArgument): void;
}).__setHost(ApiError, PolicyError, encodeArgument);
installDecisions(glue.Principal);
guardFreed(glue);

export { Principal, validatePolicy, parseResource } from "./tokengate_node.cjs";
/**
 * Checks `action` on `resource` against a list of statements and explains the answer. Statements seen before
 * are not read and compiled again, and an answer given before is given again (a fresh copy).
 *
 * Throws a `PolicyError` when the statements are malformed or the resource specifier does not parse, and a
 * `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
 */
export const evaluate: typeof glue.evaluate = cachedEvaluate(glue as typeof glue & EvaluateGlue);
export type * from "./tokengate_node.cjs";
export { ApiError, PolicyError } from "../errors.cjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "../errors.cjs";
