// A page bundled by Vite that imports "tokengate/web": the .wasm is its own file, fetched by `init()`.
import init, { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate/web";
import { check } from "../../common/checks.mjs";

await init();
const wrong = await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource });
document.getElementById("out").textContent = wrong.length === 0 ? "ok" : wrong.join("\n");
document.body.dataset.done = "yes";
