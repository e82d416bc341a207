// A page bundled by Vite that imports "tokengate/checks": the permission checks alone, module inlined as the default
// entry inlines its own.
import * as checks from "tokengate/checks";
import { check } from "../../common/checks.mjs";

const wrong = await check({ ...checks, TokensClient: undefined }, { checksOnly: true });
document.getElementById("out").textContent = wrong.length === 0 ? "ok" : wrong.join("\n");
document.body.dataset.done = "yes";
