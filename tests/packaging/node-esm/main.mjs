// Node, ES modules: the package's default entry, and "tokengate/checks", each ready without an init call.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import * as checks from "tokengate/checks";
import { check, report } from "../common/checks.mjs";

const wrong = await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource });
wrong.push(...(await check({ ...checks, TokensClient: undefined }, { checksOnly: true })).map((w) => `checks: ${w}`));
// One error class for both entries: an error thrown by one module is an instance of the other entry's class.
try {
  checks.parseResource("proj/x:");
} catch (e) {
  if (!(e instanceof PolicyError)) wrong.push("checks: its PolicyError is not tokengate's");
}
if ("TokensClient" in checks) wrong.push("checks: exports TokensClient");
report("node-esm", wrong);
