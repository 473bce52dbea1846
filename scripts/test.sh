#!/usr/bin/env bash
# `npm test`: everything, from a fresh checkout. Lint, type check, unit + store (SQLite and a throwaway
# PostgreSQL), integration against the sandbox, then the standalone production build driven by Playwright in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/ensure-deps.sh --browser
source scripts/node-env.sh

step() { printf '\n\033[1m› %s\033[0m\n' "$*"; }
step "Node $(node --version) ($(command -v node))"
step "lint";       npx eslint . --max-warnings 0 && npx prettier --check . --log-level warn
step "typecheck";  npx tsc --noEmit -p .
step "unit + integration tests (vitest)"; npx vitest run
step "build (standalone)"; bash scripts/build.sh
step "e2e tests (Playwright, Chromium, against the standalone server)"; npx playwright test
