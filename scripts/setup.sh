#!/usr/bin/env bash
# Installs everything tokengate needs to build, test and demo on a fresh Debian machine with rustup and Node 20.
# Idempotent: every step checks what is already there (and its version) before installing, so a second run
# takes seconds. Only package registries are used (apt, crates.io, npm); nothing is downloaded from elsewhere.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WASM_PACK_VERSION=0.15.1
WASM_BINDGEN_VERSION=0.2.130     # must equal the `wasm-bindgen` pin in Cargo.toml (checked below)
GECKODRIVER_VERSION=0.37.1
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"
export WASM_PACK_CACHE=${WASM_PACK_CACHE:-$HOME/.cache/.wasm-pack}
mkdir -p "$WASM_PACK_CACHE"

t0=$SECONDS
step() { echo "setup [$((SECONDS - t0))s] $*"; }

# apt: headless browsers for wasm-bindgen-test and the end-to-end tests (Debian's, never their own downloaders).
need_apt=()
for bin_pkg in chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr; do
  command -v "${bin_pkg%%:*}" >/dev/null 2>&1 || need_apt+=("${bin_pkg#*:}")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

step "rust wasm target"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# cargo tools, compiled from crates.io; skipped when the exact version is already on PATH.
has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF " $2"; }
grep -q "wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" "$ROOT/Cargo.toml" ||
  { echo "setup: Cargo.toml's wasm-bindgen pin differs from $WASM_BINDGEN_VERSION" >&2; exit 1; }
has_version wasm-pack "$WASM_PACK_VERSION" || { step "cargo install wasm-pack"; cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked; }
# no --locked: the CLI's shipped lockfile pins a crate version the index lacks.
has_version wasm-bindgen "$WASM_BINDGEN_VERSION" || { step "cargo install wasm-bindgen-cli"; cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"; }
has_version geckodriver "$GECKODRIVER_VERSION" || { step "cargo install geckodriver"; cargo install geckodriver --version "=$GECKODRIVER_VERSION"; }

# npm tools (wasm-opt from binaryen, workerd, playwright-core, typescript, ...), pinned by tools/package-lock.json.
# Reinstalled only when the lock file changed since the last install.
stamp="$ROOT/tools/node_modules/.lock-sha"
lock_sha=$(sha256sum "$ROOT/tools/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sha" ]; then
  step "npm ci (tools)"
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sha" >"$stamp"
fi

step "done"
