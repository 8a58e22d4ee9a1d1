#!/usr/bin/env bash
# Makes the reference Litestream VFS usable by tests: Debian's sqlite3 CLI plus the
# litestream-vfs.so from npm, cached outside the project (the binary is never committed).
# Prints the absolute path of litestream-vfs.so; on failure, one line on stderr and exit 1.
set -euo pipefail

pkg=litestream-vfs-linux-amd64
version=0.5.17
cache="${LTXVFS_CACHE:-$HOME/.cache/ltxvfs}/reference-vfs"
so="$cache/node_modules/$pkg/litestream-vfs.so"

fail() { echo "reference-vfs: $*" >&2; exit 1; }

if ! command -v sqlite3 >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { apt-get install -y sqlite3 || { apt-get update && apt-get install -y sqlite3; }; } >/dev/null 2>&1 \
      || fail "could not install sqlite3 with apt-get; install it (apt-get install sqlite3)"
  else
    fail "the sqlite3 CLI is missing: install it (sudo apt-get install sqlite3)"
  fi
fi

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || fail "the reference extension is only packaged here for linux x86_64"

# The package may keep the .so at another depth in a later layout: look for it once installed.
find_so() { find "$cache/node_modules/$pkg" -name 'litestream-vfs.so' -type f 2>/dev/null | head -1; }

if [ ! -f "$so" ] || ! grep -q "\"version\": \"$version\"" "$cache/node_modules/$pkg/package.json" 2>/dev/null; then
  command -v npm >/dev/null || fail "npm is missing: install Node.js/npm to fetch $pkg@$version"
  mkdir -p "$cache"
  log="$cache/npm-install.log"
  # --prefix keeps it out of any project; no package.json of ours is touched.
  npm install --prefix "$cache" --no-save --no-audit --no-fund "$pkg@$version" >"$log" 2>&1 \
    || fail "npm install $pkg@$version failed (see $log)"
fi

found=$(find_so)
[ -n "$found" ] || fail "$pkg@$version installed but litestream-vfs.so not found under $cache/node_modules/$pkg"
cd "$(dirname "$found")" && echo "$PWD/$(basename "$found")"
