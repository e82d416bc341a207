// Deno, with the package installed into node_modules by npm: `"tokengate"` resolves there (deno.json:
// nodeModulesDir "manual"), through the exports map's `deno` condition; no `npm:` specifier, no registry.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import { check, report } from "../common/checks.mjs";

report("deno", await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource }));
