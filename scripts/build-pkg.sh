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
# script checks that both glues expect the very same module before sharing it. The package's own modules and
# all their declarations are TypeScript (js/src), compiled by the pinned tsc against the glue's declarations:
# a type error fails the build. It ends by loading the optimised module in Node through both entry points and
# printing sizes.
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

# build_module DIR [CARGO ARGS...]: the release module of the crate built with CARGO ARGS (wasm-pack runs
# wasm-opt), with its web glue, its Node glue and the inlined copy for the browser entry, into pkg/DIR.
build_module() {
  local dir=$1 work="$WORK/module-${1:-main}"
  shift
  mkdir -p "$work" "pkg/$dir"
  wasm-pack build --mode no-install --release --target web --out-dir "$work/web" --out-name tokengate -- "$@" \
    >"$work/wasm-pack.log" 2>&1 || { cat "$work/wasm-pack.log"; exit 1; }

  local artifact=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/tokengate.wasm
  wasm-bindgen --target nodejs --out-dir "$work/node" --out-name tokengate "$artifact"
  wasm-bindgen --target web --out-dir "$work/web-check" --out-name tokengate "$artifact"
  if ! cmp -s "$work/node/tokengate_bg.wasm" "$work/web-check/tokengate_bg.wasm"; then
    echo "build-pkg: the nodejs and web glues expect different modules; cannot share one .wasm" >&2
    exit 1
  fi
  cmp -s "$work/web/tokengate.js" "$work/web-check/tokengate.js" ||
    { echo "build-pkg: wasm-pack's glue differs from wasm-bindgen's for the same artifact" >&2; exit 1; }
  # The glue the package ships has no default module path: that `new URL("tokengate_bg.wasm", import.meta.url)`
  # made bundlers emit the .wasm as an asset for the default entry too, which inlines the module and never
  # fetches it. The web entries (web.mjs, checks/web.mjs) pass the same default URL to the glue themselves.
  wasm-bindgen --target web --omit-default-module-path --out-dir "$work/web-lib" --out-name tokengate "$artifact"
  cmp -s "$work/web-lib/tokengate_bg.wasm" "$work/web-check/tokengate_bg.wasm" ||
    { echo "build-pkg: the glue without a default module path expects another module" >&2; exit 1; }

  cp "$work/web/tokengate_bg.wasm" "$work/web-lib/tokengate.js" "$work/web-lib/tokengate.d.ts" "pkg/$dir/"
  cp "$work/node/tokengate.js" "pkg/$dir/tokengate_node.cjs"
  cp "$work/node/tokengate.d.ts" "pkg/$dir/tokengate_node.d.cts"
  # The Node glue is shipped under another name than wasm-bindgen gives it (it names its declarations
  # tokengate.d.ts, which is the web glue's), and wasm-bindgen has no option to name them: its header, which
  # Deno reads, must point at the declarations it ships with.
  sed -i 's#@ts-self-types="./tokengate.d.ts"#@ts-self-types="./tokengate_node.d.cts"#' "pkg/$dir/tokengate_node.cjs"
  # The raw exports listed in InitOutput (what `init()` of the web entries resolves to) are typed `any` by
  # wasm-bindgen, with no option to type them otherwise; nothing in the package is `any`.
  sed -i '/^export interface InitOutput {/,/^}/ s/\bany\b/unknown/g' "pkg/$dir/tokengate.d.ts"
  # The inlined module for the browser entry, gzip-compressed (-n: no name or time, so builds are reproducible)
  # and base64-encoded: about a third of the text plain base64 would be, and smaller over the wire too.
  printf 'export default "%s";\n' "$(gzip -9 -n -c "pkg/$dir/tokengate_bg.wasm" | base64 -w0)" \
    >"pkg/$dir/tokengate_bg.wasm.gz.b64.mjs"
}

rm -rf pkg && mkdir pkg
# The package's metadata, checked in (its version was checked against Cargo.toml above). First: its
# "type": "module" is what makes the glue's tokengate.d.ts an ES module for tsc below.
cp js/package.json pkg/package.json
echo "build-pkg: the main module (wasm-pack build --release --target web)"
build_module ""
# The same crate without the client and the analyses (`cargo --no-default-features`), for tokengate/checks:
# pages that only check permissions load less than two thirds of the main module's bytes.
echo "build-pkg: the checks module (the same, --no-default-features)"
build_module checks --no-default-features

# The package's own modules and every declaration of them, from the TypeScript in js/src, type-checked against
# the glue's declarations in pkg/ (a type error fails the build): the ES modules (.mts -> .mjs, .d.mts) and the
# CommonJS entry with its copies of the error classes and `can`/`explain` (.cts -> .cjs, .d.cts).
echo "build-pkg: tsc (js/tsconfig.esm.json, js/tsconfig.cjs.json)"
rm -rf js/dist/esm js/dist/cjs
tsc -p js/tsconfig.esm.json
tsc -p js/tsconfig.cjs.json
for f in index.mjs browser.mjs web.mjs workerd.mjs install.mjs install.d.mts complete.mjs inflate.mjs initialise.mjs \
  errors.mjs decision.mjs errors.d.mts checks/index.mjs checks/browser.mjs checks/web.mjs checks/workerd.mjs checks/install.mjs \
  checks/install.d.mts; do
  cp "js/dist/esm/$f" "pkg/$f"
done
# The ES entries' declarations keep the names the exports map gives them.
cp js/dist/esm/index.d.mts pkg/index.d.ts
cp js/dist/esm/web.d.mts pkg/web.d.ts
cp js/dist/esm/checks/index.d.mts pkg/checks/index.d.ts
cp js/dist/esm/checks/web.d.mts pkg/checks/web.d.ts
cp js/dist/cjs/checks/index.cjs js/dist/cjs/checks/index.d.cts pkg/checks/
cp js/dist/cjs/index.cjs js/dist/cjs/index.d.cts js/dist/cjs/errors.cjs js/dist/cjs/errors.d.cts js/dist/cjs/decision.cjs pkg/

# What npm shows on the package's page, and the two licenses the crate is under (MIT OR Apache-2.0).
cp js/README.md LICENSE-MIT LICENSE-APACHE pkg/

echo "build-pkg: smoke test (Node ESM and CommonJS load each optimised module)"
for entry in index checks/index; do
  node --input-type=module -e '
    const t = await import(process.argv[1]);
    const d = t.evaluate([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }], "viewProject", "proj/x");
    if (!d.allowed) throw new Error("evaluate gave the wrong answer");
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m", creationDate: 1, lastModified: 1, role: "reader", _links: {} };
    const p = t.Principal.fromToken(token);
    const c = p.can("viewProject", "proj/x");
    if (c.allowed || !c.indeterminate) throw new Error("Principal.can gave the wrong answer");
    if (!p.explain("viewProject", "proj/x").reason) throw new Error("Principal.explain gave no reason");
    const policy = t.Policy.compile([{ effect: "allow", resources: ["proj/*"], actions: ["*"] }]);
    if (!policy.can("viewProject", "proj/x") || !policy.evaluate("viewProject", "proj/x").allowed) throw new Error("Policy gave the wrong answer");
    policy.free();
    try { t.parseResource("proj/x:"); throw new Error("no error"); } catch (e) { if (!(e instanceof t.PolicyError)) throw e; }
    if (process.argv[2] === "index") new t.TokensClient({ token: "api-smoke" });
    else if ("TokensClient" in t || typeof p.compare === "function") throw new Error("the checks module has the client or the analyses");
    console.log(`  esm ok (${process.argv[2]}.mjs)`);
  ' "$ROOT/pkg/$entry.mjs" "$entry"
  node -e '
    const t = require(process.argv[1]);
    if (t.evaluate([{ effect: "deny", resources: ["*"], actions: ["*"] }], "a", "proj/x").effect !== "deny") throw new Error("evaluate gave the wrong answer");
    const token = { _id: "a".repeat(24), ownerId: "o", memberId: "m", creationDate: 1, lastModified: 1, role: "reader", _links: {} };
    if (t.Principal.fromToken(token).can("viewProject", "proj/x").effect !== "default-deny") throw new Error("Principal.can gave the wrong answer");
    try { t.Principal.fromToken(42); throw new Error("no error"); } catch (e) { if (!(e instanceof TypeError)) throw e; }
    if (process.argv[2] === "index") {
      try { new t.TokensClient({}); throw new Error("no error"); } catch (e) { if (!(e instanceof t.ApiError) || !(e instanceof Error)) throw e; }
    }
    console.log(`  cjs ok (${process.argv[2]}.cjs)`);
  ' "$ROOT/pkg/$entry.cjs" "$entry"
done

size_line() {
  printf '  %-35s raw %8d  gzip %7d\n' "$1" "$(stat -c %s "pkg/$1")" "$(gzip -9 -c "pkg/$1" | wc -c)"
}
echo "build-pkg: sizes (bytes)"
for f in tokengate_bg.wasm tokengate.js tokengate_node.cjs index.mjs browser.mjs tokengate_bg.wasm.gz.b64.mjs errors.mjs \
  install.mjs checks/tokengate_bg.wasm checks/tokengate.js checks/tokengate_bg.wasm.gz.b64.mjs; do
  size_line "$f"
done
gzip_total() {
  local sum=0 f
  for f in "$@"; do sum=$((sum + $(gzip -9 -c "pkg/$f" | wc -c))); done
  echo "$sum"
}
# What a page downloads, gzipped, by the two ways a browser loads each module: the files each entry imports.
shared="complete.mjs errors.mjs decision.mjs"
streamed=$(gzip_total web.mjs initialise.mjs tokengate.js install.mjs $shared tokengate_bg.wasm)
bundled=$(gzip_total browser.mjs tokengate.js install.mjs inflate.mjs $shared tokengate_bg.wasm.gz.b64.mjs)
checks_streamed=$(gzip_total checks/web.mjs initialise.mjs checks/tokengate.js checks/install.mjs $shared \
  checks/tokengate_bg.wasm)
checks_bundled=$(gzip_total checks/browser.mjs checks/tokengate.js checks/install.mjs inflate.mjs $shared \
  checks/tokengate_bg.wasm.gz.b64.mjs)
echo "  a page using tokengate/web (the .wasm streamed), gzip: $streamed (budget $BUDGET_GZ)"
echo "  a bundled page (the browser entry, module inlined), gzip: $bundled (budget $BUDGET_GZ)"
echo "  a page using tokengate/checks/web, gzip: $checks_streamed"
echo "  a bundled page importing tokengate/checks, gzip: $checks_bundled"
total=$((streamed > bundled ? streamed : bundled))
if [ "$total" -gt "$BUDGET_GZ" ]; then
  echo "build-pkg: WARNING: over the size budget by $((total - BUDGET_GZ)) bytes" >&2
fi
