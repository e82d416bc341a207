#!/usr/bin/env bash
# Runs the wasm-bindgen-test suites (tests/wasm_*.rs, each listed in SUITES below) against real emulators, in Node
# and in headless Chrome and Firefox.
#
#   scripts/test-wasm.sh                 # node, chrome, firefox
#   scripts/test-wasm.sh node firefox    # a subset
#
# For each environment it starts fresh demo-seeded emulators on port 0 (one shared by the client tests,
# one with a route limit of 3 requests per window for the 429 tests, and one per caller token for the
# destructive prediction matrix), reads their addresses and the demo secrets from their output, and hands
# them to the suites at build time (TOKENGATE_* variables read with option_env!). The suites fail, rather
# than skip, without them. WASM_BINDGEN_USE_BROWSER=1 makes the browser runs include every suite.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="$ROOT/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export WASM_PACK_CACHE=${WASM_PACK_CACHE:-$HOME/.cache/.wasm-pack}
mkdir -p "$WASM_PACK_CACHE"
# The browser runner gives a whole suite 20 s by default; the rate-limit suite waits out 10-second windows, and the
# differential slice (wasm_differential) takes about a minute in a debug build on a busy two-core machine. A hang
# guard, not a measure: no suite asserts on how long anything took.
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-300}
SUITES=(--test wasm_client --test wasm_policy --test wasm_principal --test wasm_ratelimit --test wasm_conformance --test wasm_differential)
ENVIRONMENTS=("$@")
[ ${#ENVIRONMENTS[@]} -gt 0 ] || ENVIRONMENTS=(node chrome firefox)

# The suites import the package's error classes and `can`/`explain` as the package ships them, compiled from
# js/src into js/dist/esm. Only compiled here: the types are checked against the generated glue by
# scripts/build-pkg.sh. The suites take .js copies (tests/support/wasm.rs names them, and they must exist when
# the suites compile): the runner's server gives a JavaScript type to .js files but not to .mjs, and browsers
# load no module without one.
tsc -p js/tsconfig.esm.json --noCheck
mkdir -p js/dist/wasm-tests
cp js/dist/esm/errors.mjs js/dist/wasm-tests/errors.js
cp js/dist/esm/decision.mjs js/dist/wasm-tests/decision.js
cargo build -q -p tokengate-emulator
EMULATOR="${CARGO_TARGET_DIR:-$ROOT/target}/debug/tokengate-emulator"
LOGS=$(mktemp -d)
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'stop_all; rm -rf "$LOGS"' EXIT

# start NAME [flags...]: starts an emulator and sets URL (and OUT, its stdout file).
start() {
  local name=$1
  shift
  OUT="$LOGS/$name.out"
  : >"$OUT"
  "$EMULATOR" --listen 127.0.0.1:0 --seed demo "$@" >"$OUT" 2>"$LOGS/$name.err" &
  PIDS+=($!)
  URL=""
  for _ in $(seq 100); do
    URL=$(sed -n 's/^listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$OUT" || true)
    [ -n "$URL" ] && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "test-wasm: emulator $name did not start" >&2
  cat "$LOGS/$name.err" >&2
  exit 1
}

failed=()
for environment in "${ENVIRONMENTS[@]}"; do
  start shared
  export TOKENGATE_EMULATOR_URL=$URL
  TOKENGATE_SECRETS=$(grep -o 'api-[0-9a-f-]\{36\}' "$OUT" | paste -sd, -)
  export TOKENGATE_SECRETS
  start limited --rate-limit-route 3
  export TOKENGATE_LIMITED_URL=$URL
  matrix=()
  # One per demo caller, by token number (13, the departed member's token, is never a matrix caller).
  for n in $(seq 15); do
    start "matrix$n"
    matrix+=("$URL")
  done
  TOKENGATE_MATRIX_URLS=$(IFS=,; echo "${matrix[*]}")
  export TOKENGATE_MATRIX_URLS

  echo "test-wasm: $environment (emulator $TOKENGATE_EMULATOR_URL, limited $TOKENGATE_LIMITED_URL, 15 matrix emulators)"
  case "$environment" in
    node) args=(--node) ;;
    chrome) args=(--headless --chrome) ;;
    firefox) args=(--headless --firefox) ;;
    *) echo "test-wasm: unknown environment $environment" >&2; exit 2 ;;
  esac
  if [ "$environment" = node ]; then
    wasm-pack test --mode no-install "${args[@]}" -- "${SUITES[@]}" || failed+=("$environment")
  else
    WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --mode no-install "${args[@]}" -- "${SUITES[@]}" || failed+=("$environment")
  fi
  stop_all
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "test-wasm: FAILED in ${failed[*]}" >&2
  exit 1
fi
echo "test-wasm: all suites passed in ${ENVIRONMENTS[*]}"
