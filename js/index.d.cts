export { TokensClient, Principal, evaluate, validatePolicy, parseResource, comparePolicies } from "./tokengate_node.cjs";
export type * from "./tokengate_node.cjs";
export { ApiError, PolicyError } from "./errors.cjs";
export type { ApiErrorCode, InvalidArgumentError } from "./errors.cjs";
