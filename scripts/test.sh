#!/usr/bin/env bash
# The one command that sets everything up and runs every test: formatting and lints, the native Rust tests (core
# and emulator), the package build, the package's JS and TypeScript tests, LaunchDarkly's own client against the
# emulator, the wasm suites in Node, headless Chrome and headless Firefox, the demo's end-to-end tests, the edge
# broker in workerd, Deno, Prism's validation against LaunchDarkly's schemas, and the hardening suites.
#
#   scripts/test.sh              set up (idempotent, quick when installed), then run everything
#   scripts/test.sh --no-setup   skip the setup step
#
# Every suite runs even when an earlier one fails; the summary names the failures and the exit code is non-zero.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

if [ "${1:-}" != "--no-setup" ]; then
  bash scripts/setup.sh || { echo "setup failed" >&2; exit 1; }
fi
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"

t0=$SECONDS
passed=()
failed=()
suite() {
  local name=$1
  shift
  echo
  echo "=== [$((SECONDS - t0))s] $name"
  local start=$SECONDS
  if "$@"; then
    passed+=("$name ($((SECONDS - start))s)")
  else
    failed+=("$name")
    echo "=== FAILED: $name"
  fi
}

suite "self-contained (nothing read from outside the repository)" bash scripts/check-self-contained.sh
suite "rustfmt" cargo fmt --all --check
suite "clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
# The binding compiles for wasm32 only, in two shapes: the main module and, without the client and the analyses,
# the module tokengate/checks loads.
suite "clippy, wasm32 (the main module and the checks module)" bash -c \
  'cargo clippy --target wasm32-unknown-unknown --lib --locked -- -D warnings &&
   cargo clippy --target wasm32-unknown-unknown --lib --locked --no-default-features -- -D warnings'
suite "native tests (core and emulator)" cargo test --workspace --locked
suite "package build" bash scripts/build-pkg.sh
export TOKENGATE_SKIP_PKG=1 # the suites below reuse the package just built
# The demo page's build also installs www's Vite, which the package's Vite test uses.
suite "demo page build" bash www/build.sh
suite "package JS and TypeScript tests" node --test tests/js/
suite "packaging: the packed tarball in fresh projects" bash scripts/test-packaging.sh
suite "LaunchDarkly's client against the emulator" node --test emulator/tests/js/
suite "wasm suites: node, chrome, firefox" bash scripts/test-wasm.sh node chrome firefox
suite "demo end-to-end" bash scripts/test-e2e.sh
suite "edge broker in workerd" bash scripts/test-edge.sh
suite "deno" bash scripts/test-deno.sh
suite "prism validation" bash scripts/test-prism.sh
suite "hardening" bash scripts/test-hardening.sh

echo
echo "=== summary after $((SECONDS - t0))s"
for s in "${passed[@]}"; do echo "  ok      $s"; done
for s in "${failed[@]}"; do echo "  FAILED  $s"; done
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
