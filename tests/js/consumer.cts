// Type check of the CommonJS face: `require("tokengate")`.
import tokengate = require("tokengate");

const decision: tokengate.Decision = tokengate.evaluate([], "viewProject", "proj/a");
const client = new tokengate.TokensClient({ token: "api-..." });
function isApiError(e: unknown): boolean {
  return e instanceof tokengate.ApiError && e.status >= 0;
}

export = { decision, client, isApiError };
