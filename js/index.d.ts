export { TokensClient, Principal, evaluate, validatePolicy, parseResource, comparePolicies } from "./tokengate.js";
export type * from "./tokengate.js";
export { ApiError, PolicyError } from "./errors.mjs";
export type { ApiErrorCode, InvalidArgumentError } from "./errors.mjs";
