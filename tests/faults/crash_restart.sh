#!/usr/bin/env bash
# Crash-restart check of the emulator's --data directory (see crash_restart.mjs for what is checked).
#
#   tests/faults/crash_restart.sh            # 10 kill -9 cycles
#   CRASH_CYCLES=100 tests/faults/crash_restart.sh
#
# Bounded: each cycle streams writes for at most 1.5 s, and the whole run is killed after CRASH_TIMEOUT seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CYCLES=${CRASH_CYCLES:-10}
TIMEOUT=${CRASH_TIMEOUT:-$((60 + CYCLES * 10))}
BIN=${EMULATOR_BIN:-$ROOT/target/debug/tokengate-emulator}

if [ -z "${EMULATOR_BIN:-}" ]; then
  (cd "$ROOT" && cargo build -q -p tokengate-emulator)
fi
exec timeout --kill-after=5 "$TIMEOUT" node "$ROOT/tests/faults/crash_restart.mjs" "$BIN" "$CYCLES"
