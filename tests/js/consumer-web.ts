// Type check of "tokengate/web": explicit async init, then the same API.
import init, { initSync, evaluate, TokensClient, type Decision } from "tokengate/web";

async function start(bytes: ArrayBuffer): Promise<Decision> {
  await init();
  await init({ module_or_path: new URL("https://example.invalid/tokengate_bg.wasm") });
  initSync({ module: bytes });
  new TokensClient({ token: "api-..." });
  // @ts-expect-error init takes an object, not a bare URL string
  await init(42);
  return evaluate([], "viewProject", "proj/a");
}

export { start };
