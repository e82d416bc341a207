# Shared by the suite scripts that need the emulator and the built package: environment, process-group
# handling, and "build it if it is missing or stale". Source it after setting ROOT and cd'ing there.
# shellcheck shell=bash
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"
export TOKENGATE_EMULATOR="$ROOT/target/debug/tokengate-emulator"

# Each build and suite runs in its own process group (setsid), so everything it starts (emulator, workerd, Prism,
# cargo) can be stopped by that group's id when this script exits, however it exits, even if the suite itself was
# killed; and since the script only ever waits (never runs a long foreground command), a signal is acted on at once.
CURRENT_GROUP=
stop_group() {
  if [ -n "$CURRENT_GROUP" ]; then kill -TERM -- "-$CURRENT_GROUP" 2>/dev/null || true; fi
  CURRENT_GROUP=
}
trap stop_group EXIT
trap 'exit 130' INT TERM

# Runs a command in a new process group and returns its exit status; whatever it left running is stopped.
run_suite() {
  setsid "$@" &
  CURRENT_GROUP=$!
  local rc=0
  wait "$CURRENT_GROUP" || rc=$?
  stop_group
  return "$rc"
}

ensure_emulator() {
  # cargo decides whether anything changed; a no-op build takes about a second.
  run_suite cargo build --quiet -p tokengate-emulator
}

ensure_pkg() {
  # Rebuilt only when something it is made from is newer than it (another suite may have just built it);
  # js/dist is what tsc makes from js/src (scripts/test-wasm.sh compiles it too), not a source, and the folders
  # holding it change when it is made.
  if [ ! -f pkg/package.json ] || [ -n "$(find src js Cargo.toml Cargo.lock scripts/build-pkg.sh -path js/dist -prune -o ! -type d -newer pkg/package.json -print -quit 2>/dev/null)" ]; then
    run_suite bash scripts/build-pkg.sh
  fi
}

ensure_tool() {
  command -v "$1" >/dev/null 2>&1 || { echo "$1 is not installed: run scripts/setup.sh" >&2; exit 1; }
}
