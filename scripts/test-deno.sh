#!/usr/bin/env bash
# The built npm package under Deno: policy checks offline and the client against the emulator.
# Builds the emulator and the npm package first when they are missing or older than the sources.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

source "$ROOT/scripts/lib/suite.sh"

# Lets `import ... from "tokengate"` resolve to the built package (with its `deno` export condition): deno.json
# beside the test uses a manual node_modules folder, which holds this one link.
# Deno type-checks npm packages against @types/node, taken from the pinned tools rather than a registry.
link_pkg() {
  node tests/support/js/package.mjs "$1"
  mkdir -p "$1/node_modules/@types"
  ln -sfn "$ROOT/tools/node_modules/@types/node" "$1/node_modules/@types/node"
}

ensure_emulator
ensure_pkg
ensure_tool deno
link_pkg tests/deno

cd tests/deno
export DENO_NO_UPDATE_CHECK=1
# Behaviour first, without type-checking, so a typing problem never hides whether the package works in Deno.
run_suite deno test --no-check --no-prompt --allow-net=127.0.0.1 --allow-read --allow-env \
  --allow-run="$ROOT/target/debug/tokengate-emulator" package.test.ts
# Then the suite must type-check against the package's own .d.ts, as a TypeScript user's code would.
echo "deno check: the suite against the package's type declarations"
run_suite deno check package.test.ts
