#!/usr/bin/env bash
# The demo console's end-to-end tests: builds the emulator, the package and the page, then drives headless
# Chromium through www/e2e/*.test.mjs (each test file starts its own emulator on a free port). The page's
# unit tests (www/test/) run first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"

# The page's pure modules first: seconds, and they pin down where diagnostics land.
node --test www/test/*.test.mjs

cargo build -p tokengate-emulator --locked
# The package is rebuilt only when something it is made from is newer than it (another suite may have just
# built it); TOKENGATE_SKIP_PKG=1 reuses any existing pkg/.
pkg_stale() {
  [ ! -f pkg/package.json ] && return 0
  [ -n "$(find src js Cargo.toml Cargo.lock scripts/build-pkg.sh -newer pkg/package.json -print -quit 2>/dev/null)" ]
}
if [ ! -f pkg/package.json ] || { [ "${TOKENGATE_SKIP_PKG:-0}" != 1 ] && pkg_stale; }; then
  bash scripts/build-pkg.sh
fi
bash www/build.sh

mkdir -p test-output/screenshots
# Two files at a time: each runs a browser and an emulator, and the machine has two cores.
node --test --test-concurrency=2 www/e2e/*.test.mjs
