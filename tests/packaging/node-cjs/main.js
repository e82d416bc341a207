// Node, CommonJS: `require("tokengate")` and `require("tokengate/checks")`, ready on load.
const { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } = require("tokengate");
const checks = require("tokengate/checks");

import("../common/checks.mjs").then(async ({ check, report }) => {
  const wrong = await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource });
  const checksOnly = await check({ ...checks, TokensClient: undefined }, { checksOnly: true });
  if ("TokensClient" in checks) checksOnly.push("exports TokensClient");
  report("node-cjs", [...wrong, ...checksOnly.map((w) => `checks: ${w}`)]);
});
