#!/usr/bin/env bash
# The edge broker in real workerd against the emulator: node --test suite, then a short loopback bench.
# Builds the emulator and the npm package first when they are missing or older than the sources.
# Usage: scripts/test-edge.sh [--no-bench]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

source "$ROOT/scripts/lib/suite.sh"


ensure_emulator
ensure_pkg
ensure_tool workerd

run_suite node --test --test-reporter=spec examples/edge-broker/test/units.test.mjs examples/edge-broker/test/broker.test.mjs \
  examples/edge-broker/test/demo.test.mjs
if [ "${1:-}" != "--no-bench" ]; then
  run_suite node examples/edge-broker/bench.mjs --seconds "${BENCH_SECONDS:-10}"
fi
