#!/usr/bin/env bash
# Builds the demo console into www/dist. Installs www's npm dependencies only when package-lock.json changed
# since the last install (the `tokengate` dependency is a link to ../pkg, so a rebuilt package needs no reinstall).
set -euo pipefail
WWW=$(cd "$(dirname "$0")" && pwd)
cd "$WWW"

[ -f ../pkg/package.json ] || { echo "www/build.sh: ../pkg is missing; run scripts/build-pkg.sh first" >&2; exit 1; }

stamp=node_modules/.lock-sha
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sha" ] || [ ! -e node_modules/tokengate ]; then
  echo "www: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sha" >"$stamp"
fi

echo "www: vite build"
npx --no-install vite build --logLevel warn
echo "www: built $(du -sh dist | cut -f1) into www/dist"
