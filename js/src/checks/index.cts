/// <reference lib="esnext.disposable" preserve="true" />
// CommonJS "tokengate/checks" (`require("tokengate/checks")`): the checks module's Node glue instantiates it
// synchronously on load; completed as `../index.cts` completes the main one.
import glue = require("./tokengate_node.cjs");
import { ApiError, PolicyError, encodeArgument } from "../errors.cjs";
import { guardFreed, installDecisions } from "../decision.cjs";

// `__setHost` is left out of the generated declarations (`skip_typescript`): it is not public.
(glue as typeof glue & {
  __setHost(apiError: typeof ApiError, policyError: typeof PolicyError, encode: typeof encodeArgument): void;
}).__setHost(ApiError, PolicyError, encodeArgument);
installDecisions(glue.Principal);
installDecisions(glue.Policy);
guardFreed(glue);

export { Principal, Policy, evaluate, validatePolicy, parseResource } from "./tokengate_node.cjs";
export type * from "./tokengate_node.cjs";
export { ApiError, PolicyError } from "../errors.cjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "../errors.cjs";
