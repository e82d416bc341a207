#!/usr/bin/env bash
# Builds everything and serves the demo console and the emulator's demo account on one origin.
#   scripts/demo.sh            -> http://127.0.0.1:8787/
#   PORT=9000 scripts/demo.sh  -> another port
# Local demo only: the page offers the demo account's token secrets, which the emulator prints at startup.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PORT=${PORT:-8787}
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"

bash scripts/setup.sh
echo "demo: cargo build -p tokengate-emulator"
cargo build -p tokengate-emulator
echo "demo: building the npm package"
bash scripts/build-pkg.sh
bash www/build.sh

log=$(mktemp)
# The emulator's output goes to the terminal and to a log the demo token list is made from.
target/debug/tokengate-emulator --listen "127.0.0.1:$PORT" --seed demo --static "$ROOT/www/dist" > >(tee "$log") 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log" "$ROOT/www/dist/demo-tokens.json"' EXIT
trap 'exit 130' INT TERM

for _ in $(seq 150); do
  grep -q "listening on" "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "demo: the emulator exited" >&2; exit 1; }
  sleep 0.1
done
grep -q "listening on" "$log" || { echo "demo: the emulator did not start" >&2; exit 1; }
sleep 0.3 # the token lines may follow the listening line
node www/tools/demo-tokens.mjs "$log" "$ROOT/www/dist/demo-tokens.json"
url=$(grep -o 'listening on http://[^ ]*' "$log" | head -1 | cut -d' ' -f3)

echo
echo "demo: open ${url%/}/ in a browser (Ctrl+C stops the emulator)"
wait "$pid"
