#!/usr/bin/env bash
# Runs libsql-client-check.mjs, or the driver script named as the first argument (e.g.
# libsql-transaction-check.mjs): the real npm @libsql/client against an ltxvfs server.
# The client is installed once into a cache outside the project (node_modules never committed).
# Usage: LTXVFS_URL=http://127.0.0.1:8080/libsql/demo [LTXVFS_TOKEN=...] src/test/node/run-libsql-check.sh [script.mjs]
# Prints the driver's JSON line; exit 0 only if every expectation holds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LTXVFS_LIBSQL_CACHE:-${LTXVFS_CACHE:-$HOME/.cache/ltxvfs}/node-libsql}"

fail() { echo "run-libsql-check: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node is missing: install Node.js (>= 18, needs global fetch)"
[ -n "${LTXVFS_URL:-}" ] || fail "set LTXVFS_URL, e.g. http://127.0.0.1:8080/libsql/demo"

version=$(sed -n 's/.*"@libsql\/client": *"\([^"]*\)".*/\1/p' "$here/package.json")
installed="$cache/node_modules/@libsql/client/package.json"

mkdir -p "$cache"
# The driver is copied next to its node_modules so that ESM resolution of "@libsql/client" works.
cp "$here/package.json" "$here"/*.mjs "$cache/"

if [ ! -f "$installed" ] || ! grep -q "\"version\": \"$version\"" "$installed"; then
  command -v npm >/dev/null || fail "npm is missing: install Node.js/npm to fetch @libsql/client@$version"
  log="$cache/npm-install.log"
  (cd "$cache" && npm install --no-audit --no-fund --no-package-lock >"$log" 2>&1) \
    || fail "npm install @libsql/client@$version failed (see $log)"
fi

cd "$cache" && exec node "${1:-libsql-client-check.mjs}"
