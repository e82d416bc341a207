#!/usr/bin/env bash
# Every TokensClient method, success and error paths, through Prism validating LaunchDarkly's official Access
# Tokens schema in front of the emulator. Fails on any violation Prism reports.
# Builds the emulator and the npm package first when they are missing or older than the sources.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

source "$ROOT/scripts/lib/suite.sh"

ensure_emulator
ensure_pkg
ensure_tool prism
# Lets `import ... from "tokengate"` in the suite resolve to the built package, with its export conditions.
node tests/support/js/package.mjs tests/prism

run_suite node --test --test-reporter=spec tests/prism/client.test.mjs
