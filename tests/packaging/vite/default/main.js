// A page bundled by Vite that imports the package's default entry: no plugin, no asset rule, no init call.
import { evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource } from "tokengate";
import { check } from "../../common/checks.mjs";

const wrong = await check({ evaluate, Principal, TokensClient, ApiError, PolicyError, parseResource });
document.getElementById("out").textContent = wrong.length === 0 ? "ok" : wrong.join("\n");
document.body.dataset.done = "yes";
