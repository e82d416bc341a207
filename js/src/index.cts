/// <reference lib="esnext.disposable" preserve="true" />
// CommonJS entry (`require("tokengate")`): the Node glue instantiates the module synchronously on load.
//
// The reference above is kept in the declarations: the generated classes declare [Symbol.dispose], and the
// declarations pull in the lib that types it, so that consumers compiling against es2022 need no change to
// their configuration.
import glue = require("./tokengate_node.cjs");
import { ApiError, PolicyError, encodeArgument } from "./errors.cjs";
import { guardFreed, installDecisions } from "./decision.cjs";

// `__setHost` is left out of the generated declarations (`skip_typescript`): it is not public.
(glue as typeof glue & {
  __setHost(apiError: typeof ApiError, policyError: typeof PolicyError, encode: typeof encodeArgument): void;
}).__setHost(ApiError, PolicyError, encodeArgument);
installDecisions(glue.Principal);
installDecisions(glue.Policy);
guardFreed(glue);

export { TokensClient, Principal, Policy, evaluate, validatePolicy, parseResource, comparePolicies, auditTokens } from "./tokengate_node.cjs";
export type * from "./tokengate_node.cjs";
export { ApiError, PolicyError } from "./errors.cjs";
export type { ApiErrorCode, FreedError, InvalidArgumentError } from "./errors.cjs";
