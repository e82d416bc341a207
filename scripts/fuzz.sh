#!/usr/bin/env bash
# Runs every fuzz target for a bounded time and prints how many inputs each one executed.
#
#   scripts/fuzz.sh [seconds-per-target] [target...]
#
# Needs nightly and cargo-fuzz (scripts/setup-fuzz.sh). Each run starts from the committed seeds in
# fuzz/corpus/<target>/ and keeps what it learns in fuzz/target/corpus/<target>/ (git-ignored), so seeds stay
# small and later runs resume where earlier ones stopped. Crashes land in fuzz/artifacts/<target>/ and make
# this script exit non-zero.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER_TARGET=${1:-30}
shift || true
cd "$ROOT/fuzz"

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: run scripts/setup-fuzz.sh" >&2
  exit 2
fi

mapfile -t TARGETS < <(if [ $# -gt 0 ]; then printf '%s\n' "$@"; else cargo +nightly fuzz list; fi)

# Safe Rust only, so no sanitizer: libFuzzer's coverage guidance and Rust's own checks (overflow, bounds,
# debug assertions) find the panics, at several times the speed of an ASan build.
FUZZ_FLAGS=(--sanitizer none --release --debug-assertions)
if ! build_log=$(cargo +nightly fuzz build "${FUZZ_FLAGS[@]}" 2>&1); then
  echo "$build_log" >&2
  exit 1
fi

LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT
failed=0
total=0
printf '%-18s %12s %10s %8s  %s\n' target executions exec/s corpus result
for target in "${TARGETS[@]}"; do
  mkdir -p "corpus/$target" "target/corpus/$target" "artifacts/$target"
  log="$LOG_DIR/$target.log"
  # `-max_total_time` bounds the run; `timeout` bounds it again should libFuzzer hang on one input.
  timeout --kill-after=10 $((SECONDS_PER_TARGET + 60)) \
    cargo +nightly fuzz run "${FUZZ_FLAGS[@]}" "$target" "target/corpus/$target" "corpus/$target" -- \
      -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="artifacts/$target/" >"$log" 2>&1
  status=$?
  # libFuzzer's final stats: `stat::number_of_executed_runs` in older releases, `..._units` in newer ones;
  # "Done N runs" is the fallback should stats be missing (a crash stops before printing them).
  runs=$(sed -En 's/^stat::number_of_executed_(runs|units):[[:space:]]*//p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -En 's/^Done ([0-9]+) runs.*/\1/p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$log" | tail -1)
  corpus=$(find "target/corpus/$target" -type f | wc -l)
  if [ $status -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $status)"
    failed=1
    grep -E "panicked at|ERROR: libFuzzer|SUMMARY|Test unit written" "$log" | head -5 | sed 's/^/    /'
  fi
  printf '%-18s %12s %10s %8s  %s\n' "$target" "${runs:-?}" "${speed:-?}" "$corpus" "$result"
  total=$((total + ${runs:-0}))
done
echo "total executions: $total"
exit $failed
