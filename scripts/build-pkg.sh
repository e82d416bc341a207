#!/usr/bin/env bash
# Builds the npm package `tokengate` into pkg/: one optimised .wasm shared by every entry point.
#
#   import { TokensClient, evaluate } from "tokengate"   Node ESM (index.mjs), Deno, bundlers and browsers
#                                                       (browser.mjs, module inlined), workerd (workerd.mjs)
#   const { TokensClient } = require("tokengate")        Node CommonJS (index.cjs)
#   import init, { ... } from "tokengate/web"            explicit async init(), .wasm fetched separately
#
# wasm-pack builds the release module (opt-level z, LTO, one codegen unit, panic=abort; wasm-opt -Oz from the
# npm binaryen, never Debian's). The Node CommonJS glue comes from wasm-bindgen over the same artifact; the
# script checks that both glues expect the very same module before sharing it. It ends by loading the
# optimised module in Node through both entry points and printing sizes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="$ROOT/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export WASM_PACK_CACHE=${WASM_PACK_CACHE:-$HOME/.cache/.wasm-pack}
mkdir -p "$WASM_PACK_CACHE"
BUDGET_GZ=${BUDGET_GZ:-61440}

case "$(command -v wasm-opt)" in
  "$ROOT"/tools/node_modules/.bin/*) ;;
  *) echo "build-pkg: wasm-opt must come from tools/node_modules (npm binaryen); run scripts/setup.sh" >&2; exit 1 ;;
esac

# js/package.json is the package's metadata, checked in; it must carry the crate's version.
CARGO_VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
PKG_VERSION=$(node -p 'require("./js/package.json").version')
if [ "$PKG_VERSION" != "$CARGO_VERSION" ]; then
  echo "build-pkg: js/package.json has version $PKG_VERSION but Cargo.toml has $CARGO_VERSION; set both to the same version" >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "build-pkg: wasm-pack build --release --target web"
wasm-pack build --mode no-install --release --target web --out-dir "$WORK/web" --out-name tokengate >"$WORK/wasm-pack.log" 2>&1 ||
  { cat "$WORK/wasm-pack.log"; exit 1; }

ARTIFACT=target/wasm32-unknown-unknown/release/tokengate.wasm
wasm-bindgen --target nodejs --out-dir "$WORK/node" --out-name tokengate "$ARTIFACT"
wasm-bindgen --target web --out-dir "$WORK/web-check" --out-name tokengate "$ARTIFACT"
if ! cmp -s "$WORK/node/tokengate_bg.wasm" "$WORK/web-check/tokengate_bg.wasm"; then
  echo "build-pkg: the nodejs and web glues expect different modules; cannot share one .wasm" >&2
  exit 1
fi
cmp -s "$WORK/web/tokengate.js" "$WORK/web-check/tokengate.js" ||
  { echo "build-pkg: wasm-pack's glue differs from wasm-bindgen's for the same artifact" >&2; exit 1; }
# The glue the package ships has no default module path: that `new URL("tokengate_bg.wasm", import.meta.url)`
# made bundlers emit the .wasm as an asset for the default entry too, which inlines the module and never
# fetches it. tokengate/web (web.mjs) passes the same default URL to the glue itself.
wasm-bindgen --target web --omit-default-module-path --out-dir "$WORK/web-lib" --out-name tokengate "$ARTIFACT"
cmp -s "$WORK/web-lib/tokengate_bg.wasm" "$WORK/web-check/tokengate_bg.wasm" ||
  { echo "build-pkg: the glue without a default module path expects another module" >&2; exit 1; }

rm -rf pkg && mkdir pkg
cp "$WORK/web/tokengate_bg.wasm" "$WORK/web-lib/tokengate.js" "$WORK/web-lib/tokengate.d.ts" pkg/
cp "$WORK/node/tokengate.js" pkg/tokengate_node.cjs
cp "$WORK/node/tokengate.d.ts" pkg/tokengate_node.d.cts
sed -i 's#@ts-self-types="./tokengate.d.ts"#@ts-self-types="./tokengate_node.d.cts"#' pkg/tokengate_node.cjs
# The generated classes declare [Symbol.dispose]; the declarations pull in the lib that types it, so that
# consumers compiling against es2022 need no change to their configuration.
for d in pkg/tokengate.d.ts pkg/tokengate_node.d.cts; do
  sed -i '1i /// <reference lib="esnext.disposable" />' "$d"
done
# The raw exports listed in InitOutput are typed `any` by wasm-bindgen; nothing in the package is `any`.
sed -i '/^export interface InitOutput {/,/^}/ s/\bany\b/unknown/g' pkg/tokengate.d.ts
cp js/index.mjs js/index.cjs js/browser.mjs js/workerd.mjs js/web.mjs js/install.mjs pkg/
# The error classes are kept as a .js source so that the wasm tests can import them in browsers too. The
# package ships them as errors.mjs, typed by errors.d.mts (what TypeScript looks for beside an .mjs); the
# header tells Deno, which reads it instead of guessing declaration names.
{ printf '/* @ts-self-types="./errors.d.mts" */\n'; cat js/errors.js; } >pkg/errors.mjs
cp js/errors.d.ts pkg/errors.d.mts
cp js/index.d.ts js/web.d.ts js/index.d.cts pkg/
cp js/decision.js pkg/decision.mjs
# CommonJS copies of the error classes, `can` and `explain`, and their types, from the one source.
sed -e 's/^export class /class /' js/errors.js >pkg/errors.cjs
printf '\nmodule.exports = { ApiError, PolicyError };\n' >>pkg/errors.cjs
sed -e 's/^export function /function /' js/decision.js >pkg/decision.cjs
printf '\nmodule.exports = { installDecisions };\n' >>pkg/decision.cjs
sed -e 's#"./tokengate.js"#"./tokengate_node.cjs"#' js/errors.d.ts >pkg/errors.d.cts
# The inlined module for browser.mjs, gzip-compressed (-n: no name or time, so builds are reproducible) and
# base64-encoded: about a third of the text plain base64 would be, and smaller over the wire too.
printf 'export default "%s";\n' "$(gzip -9 -n -c pkg/tokengate_bg.wasm | base64 -w0)" >pkg/tokengate_bg.wasm.gz.b64.mjs

# The package's metadata, checked in (its version was checked against Cargo.toml above).
cp js/package.json pkg/package.json
# What npm shows on the package's page, and the two licenses the crate is under (MIT OR Apache-2.0).
cp js/README.md LICENSE-MIT LICENSE-APACHE pkg/

echo "build-pkg: smoke test (Node ESM and CommonJS load the optimised module)"
node --input-type=module -e '
  const t = await import(process.argv[1]);
  const d = t.evaluate([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }], "viewProject", "proj/x");
  if (!d.allowed) throw new Error("evaluate gave the wrong answer");
  const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m", creationDate: 1, lastModified: 1, role: "reader", _links: {} };
  const p = t.Principal.fromToken(token);
  const c = p.can("viewProject", "proj/x");
  if (c.allowed || !c.indeterminate) throw new Error("Principal.can gave the wrong answer");
  if (!p.explain("viewProject", "proj/x").reason) throw new Error("Principal.explain gave no reason");
  try { t.parseResource("proj/x:"); throw new Error("no error"); } catch (e) { if (!(e instanceof t.PolicyError)) throw e; }
  new t.TokensClient({ token: "api-smoke" });
  console.log("  esm ok");
' "$ROOT/pkg/index.mjs"
node -e '
  const t = require(process.argv[1]);
  if (t.evaluate([{ effect: "deny", resources: ["*"], actions: ["*"] }], "a", "proj/x").effect !== "deny") throw new Error("evaluate gave the wrong answer");
  const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m", creationDate: 1, lastModified: 1, role: "reader", _links: {} };
  if (t.Principal.fromToken(token).can("viewProject", "proj/x").effect !== "default-deny") throw new Error("Principal.can gave the wrong answer");
  try { new t.TokensClient({}); throw new Error("no error"); } catch (e) { if (!(e instanceof t.ApiError) || !(e instanceof Error)) throw e; }
  console.log("  cjs ok");
' "$ROOT/pkg/index.cjs"

size_line() {
  printf '  %-28s raw %8d  gzip %7d\n' "$1" "$(stat -c %s "pkg/$1")" "$(gzip -9 -c "pkg/$1" | wc -c)"
}
echo "build-pkg: sizes (bytes)"
for f in tokengate_bg.wasm tokengate.js tokengate_node.cjs index.mjs browser.mjs tokengate_bg.wasm.gz.b64.mjs errors.mjs install.mjs; do
  size_line "$f"
done
gzip_total() {
  local sum=0 f
  for f in "$@"; do sum=$((sum + $(gzip -9 -c "pkg/$f" | wc -c))); done
  echo "$sum"
}
# What a page downloads, gzipped, by the two ways a browser loads the package.
streamed=$(gzip_total web.mjs tokengate.js install.mjs errors.mjs decision.mjs tokengate_bg.wasm)
bundled=$(gzip_total browser.mjs tokengate.js install.mjs errors.mjs decision.mjs tokengate_bg.wasm.gz.b64.mjs)
echo "  a page using tokengate/web (the .wasm streamed), gzip: $streamed (budget $BUDGET_GZ)"
echo "  a bundled page (the browser entry, module inlined), gzip: $bundled (budget $BUDGET_GZ)"
total=$((streamed > bundled ? streamed : bundled))
if [ "$total" -gt "$BUDGET_GZ" ]; then
  echo "build-pkg: WARNING: over the size budget by $((total - BUDGET_GZ)) bytes" >&2
fi
