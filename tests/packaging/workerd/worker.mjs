// A worker importing the package's `workerd` entry, which imports the .wasm as a compiled module (workerd
// forbids compiling WebAssembly from bytes at run time). `workerd test` calls `test()`.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import { check } from "../common/checks.mjs";

export default {
  async test() {
    const wrong = await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource });
    if (wrong.length > 0) throw new Error(`wrong answers:\n${wrong.join("\n")}`);
  },
};
