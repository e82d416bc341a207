#!/usr/bin/env bash
# The one command that sets everything up and runs every test: native Rust tests, the emulator's integration tests,
# the wasm suites in Node, headless Chrome and headless Firefox, the package's JS and TypeScript checks, the demo's
# end-to-end tests, the edge broker in workerd, Deno, and Prism's validation against LaunchDarkly's schemas.
# Usage: scripts/test.sh [--no-setup]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

[ "${1:-}" = "--no-setup" ] || bash scripts/setup.sh
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"

t0=$SECONDS
suite() { echo; echo "=== [$((SECONDS - t0))s] $*"; }

suite "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

suite "native tests: core and emulator"
cargo test --workspace --locked

for part in test-wasm test-e2e test-edge test-deno test-prism; do
  suite "$part"
  bash "scripts/$part.sh"
done

echo
echo "all suites passed in $((SECONDS - t0))s"
