#!/usr/bin/env bash
# Installs what the fuzz targets need: a nightly toolchain (libFuzzer's sanitizer flags are nightly-only) and
# cargo-fuzz. Idempotent: a rerun that finds both installed does nothing but check them.
set -euo pipefail

CARGO_FUZZ_VERSION="${CARGO_FUZZ_VERSION:-0.13.2}"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi

installed="$(cargo fuzz --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$installed" = "$CARGO_FUZZ_VERSION" ]; then
  echo "cargo-fuzz $installed already installed"
else
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION (found: ${installed:-none})"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
cargo fuzz --version
