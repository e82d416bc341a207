// Node, CommonJS: `require("tokengate")`, ready on load.
const { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } = require("tokengate");

import("../common/checks.mjs").then(async ({ check, report }) => {
  report("node-cjs", await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource }));
});
