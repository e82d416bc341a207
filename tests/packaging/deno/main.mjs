// Deno, with the package installed into node_modules by npm: `"tokengate"` resolves there (deno.json:
// nodeModulesDir "manual"), through the exports map's `deno` condition, as "tokengate/checks" does; no `npm:`
// specifier, no registry.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import * as checks from "tokengate/checks";
import { check, report } from "../common/checks.mjs";

const wrong = await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource });
wrong.push(...(await check({ ...checks, TokensClient: undefined }, { checksOnly: true })).map((w) => `checks: ${w}`));
report("deno", wrong);
