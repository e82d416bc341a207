"use strict";
// CommonJS entry (`require("tokengate")`): the Node glue instantiates the module synchronously on load.
const glue = require("./tokengate_node.cjs");
const { ApiError, PolicyError } = require("./errors.cjs");
const { installDecisions } = require("./decision.cjs");

glue.__setErrorClasses(ApiError, PolicyError);
installDecisions(glue.Principal);

module.exports = {
  TokensClient: glue.TokensClient,
  Principal: glue.Principal,
  evaluate: glue.evaluate,
  validatePolicy: glue.validatePolicy,
  parseResource: glue.parseResource,
  comparePolicies: glue.comparePolicies,
  ApiError,
  PolicyError,
};
