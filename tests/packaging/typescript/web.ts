// "tokengate/web": explicit initialisation, then the same API.
import init, { initSync, evaluate, type Decision } from "tokengate/web";

await init();
await init({ module_or_path: new URL("https://example.invalid/tokengate_bg.wasm") });
initSync({ module: new Uint8Array(0) });
const decision: Decision = evaluate([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }], "viewProject", "proj/x");

export { decision };
