#!/usr/bin/env bash
# The package as users receive it: `npm pack` in pkg/, then the tarball installed with npm into fresh projects
# copied from tests/packaging/<fixture>/, each running `npm test` (a small program using the package as a user
# would, printing `ok <fixture>`):
#
#   node-esm     import { ... } from "tokengate" and "tokengate/checks" in a "type": "module" project
#   node-cjs     require("tokengate") and require("tokengate/checks")
#   typescript   tsc --strict --noEmit under node16, nodenext and bundler module resolution (the pinned tsc)
#   vite         three pages bundled by Vite ("tokengate", "tokengate/web" with init(), "tokengate/checks") run in
#                headless Chromium; no unused .wasm in the inlining pages' builds; what each page downloads, gzipped
#   deno         deno run with "tokengate" and "tokengate/checks" resolved from the npm-installed node_modules
#   workerd      workerd test, with the modules of the package's `workerd` entry
#
# Before them: the tarball holds README.md, both licenses, package.json and every file the entry points load.
# Everything happens in a temporary folder; nothing is written to the repository (pkg/ is built when missing or
# older than its sources). Needs scripts/setup.sh (tsc, deno, workerd, playwright-core) and, for vite,
# www/node_modules (bash www/build.sh).
#
#   scripts/test-packaging.sh [FIXTURE...]    every fixture, or the ones named
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

source "$ROOT/scripts/lib/suite.sh"

# scripts/test.sh builds the package once and sets TOKENGATE_SKIP_PKG=1 for the suites after it.
if [ "${TOKENGATE_SKIP_PKG:-0}" != 1 ] || [ ! -f pkg/package.json ]; then ensure_pkg || exit 1; fi

for tool in tsc deno workerd; do
  [ -x "tools/node_modules/.bin/$tool" ] || { echo "test-packaging: tools/node_modules/.bin/$tool is missing; run scripts/setup.sh" >&2; exit 1; }
done

FIXTURES=("$@")
[ ${#FIXTURES[@]} -gt 0 ] || FIXTURES=(node-esm node-cjs typescript vite deno workerd)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tokengate-packaging.XXXXXX")
cleanup() { stop_group; rm -rf "$WORK"; }
trap cleanup EXIT

passed=()
failed=()

echo "packaging: npm pack"
if ! (cd pkg && npm pack --loglevel=error --pack-destination "$WORK" >"$WORK/pack.log" 2>&1); then
  cat "$WORK/pack.log"
  echo "FAILED npm pack"
  exit 1
fi
TARBALL=$(ls "$WORK"/tokengate-*.tgz)
echo "  $(basename "$TARBALL"): $(stat -c %s "$TARBALL") bytes"
mkdir "$WORK/unpacked"
tar -xzf "$TARBALL" -C "$WORK/unpacked"
tar -tzf "$TARBALL" | sed 's#^package/#    #' | sort

contents_ok=1
for f in package.json README.md LICENSE-MIT LICENSE-APACHE; do
  [ -f "$WORK/unpacked/package/$f" ] || { echo "  missing: $f"; contents_ok=0; }
done
node tests/packaging/common/imports.mjs "$WORK/unpacked/package" || contents_ok=0
if [ "$contents_ok" = 1 ]; then
  echo "ok tarball contents"
  passed+=("tarball contents")
else
  echo "FAILED tarball contents"
  failed+=("tarball contents")
fi

# The templates, side by side as in the repository (the fixtures import ../common/).
mkdir "$WORK/fixtures" && cp -r tests/packaging/. "$WORK/fixtures/"
export TOKENGATE_REPO="$ROOT"
export DENO_NO_UPDATE_CHECK=1

for fixture in "${FIXTURES[@]}"; do
  dir="$WORK/fixtures/$fixture"
  echo
  echo "packaging: $fixture"
  if [ ! -f "$dir/package.json" ]; then
    echo "FAILED $fixture: no such fixture in tests/packaging/"
    failed+=("$fixture")
    continue
  fi
  start=$SECONDS
  if ! (cd "$dir" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$TARBALL") >"$WORK/install.log" 2>&1; then
    cat "$WORK/install.log"
    echo "FAILED $fixture: npm install of the tarball"
    failed+=("$fixture")
  elif run_suite bash -c 'cd "$1" && npm test --silent' _ "$dir"; then
    passed+=("$fixture ($((SECONDS - start))s)")
  else
    failed+=("$fixture")
  fi
done

echo
echo "packaging: summary"
for s in "${passed[@]}"; do echo "  ok      $s"; done
for s in "${failed[@]}"; do echo "  FAILED  $s"; done
[ ${#failed[@]} -eq 0 ]
