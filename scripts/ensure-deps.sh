#!/usr/bin/env bash
# Installs what `npm test` and `npm run demo` need on a fresh machine: npm packages (from the lock file),
# Debian's Chromium for the browser tests, and checks for moto and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› npm ci"
  npm ci --no-audit --no-fund
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
