// CommonJS under node16/nodenext resolution: `require` picks the package's CommonJS declarations.
import tokengate = require("tokengate");

const decision: tokengate.Decision = tokengate.evaluate([{ effect: "allow", resources: ["*"], actions: ["*"] }], "a", "proj/x");
const client: tokengate.TokensClient = new tokengate.TokensClient({ token: "api-00000000-0000-4000-8000-000000000000" });
let refused: string | undefined;
try {
  tokengate.parseResource("proj/x:");
} catch (e) {
  if (e instanceof tokengate.PolicyError) refused = e.code;
}

export = { decision, client, refused };
