// A worker importing the package's `workerd` entries ("tokengate" and "tokengate/checks"), each of which imports
// its .wasm as a compiled module (workerd forbids compiling WebAssembly from bytes at run time). `workerd test`
// calls `test()`.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import * as checks from "tokengate/checks";
import { check } from "../common/checks.mjs";

export default {
  async test() {
    const wrong = await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource });
    wrong.push(...(await check({ ...checks, TokensClient: undefined }, { checksOnly: true })).map((w) => `checks: ${w}`));
    if (wrong.length > 0) throw new Error(`wrong answers:\n${wrong.join("\n")}`);
  },
};
