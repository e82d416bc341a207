#!/usr/bin/env bash
# Fails if anything in the repository reads files from outside it: the official schemas live in spec/ (see
# spec/README.md), and a fresh clone with nothing beside it must test the same as a working copy does.
# Looks at every tracked file (every file, outside a git checkout), skipping installed and built trees.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# Paths that climb out of the repository to the folder it used to sit beside, or name that folder outright.
# Assembled from parts so that this script does not match itself.
outside='shared'
pattern="(\.\./)+${outside}/|/work/${outside}|${outside}/spec/"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files)
else
  files=$(find . -type f -not -path './.git/*' | sed 's#^\./##')
fi
hits=$(printf '%s\n' "$files" |
  grep -vE '(^|/)(node_modules|target|pkg|dist)/' |
  while IFS= read -r f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
  xargs -0 grep -nIE "$pattern" -- 2>/dev/null || true)
if [ -n "$hits" ]; then
  echo "These lines read files from outside the repository; use the copies in spec/ instead:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "self-contained: no file refers to anything outside the repository"
