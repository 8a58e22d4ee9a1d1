#!/usr/bin/env bash
# Runs src/test/browser/console-check.mjs: the console in real headless Chromium.
# Chromium is Debian's (installed with apt-get when missing and root); playwright-core comes from
# npm into a cache outside the project and never downloads a browser of its own.
# Usage: console-browser.sh PLAN.json REPORT.json   (see ConsoleBrowserTest for the plan)
#        console-browser.sh --measure URL [TOKEN]   (transfer size and time to interactive, one JSON line)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../browser" && pwd)"
cache="${LTXVFS_CACHE:-$HOME/.cache/ltxvfs}/node-playwright"

fail() { echo "console-browser: $*" >&2; exit 1; }

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }; } >/dev/null 2>&1 \
      || fail "could not install chromium with apt-get; install it (apt-get install chromium)"
  else
    fail "Debian's chromium is missing: install it (sudo apt-get install chromium)"
  fi
fi
command -v node >/dev/null || fail "node is missing: install Node.js (>= 18)"

version=$(sed -n 's/.*"playwright-core": *"\([^"]*\)".*/\1/p' "$here/package.json")
installed="$cache/node_modules/playwright-core/package.json"
mkdir -p "$cache"
# The driver sits next to its node_modules so that ESM resolution finds playwright-core.
cp "$here/package.json" "$here/console-check.mjs" "$cache/"
if [ ! -f "$installed" ] || ! grep -q "\"version\": \"$version\"" "$installed"; then
  command -v npm >/dev/null || fail "npm is missing: install Node.js/npm to fetch playwright-core@$version"
  (cd "$cache" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --no-package-lock >"$cache/npm-install.log" 2>&1) \
    || fail "npm install playwright-core@$version failed (see $cache/npm-install.log)"
fi

cd "$cache" && exec node console-check.mjs "$@"
