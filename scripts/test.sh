#!/usr/bin/env bash
# `npm test`: everything, from a fresh checkout. Lint, type check, unit + store (SQLite and a throwaway
# PostgreSQL), integration against the sandbox, then a production build driven by Playwright in Chromium.
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
step "build";      npx next build
step "e2e tests (Playwright, Chromium)"; npx playwright test
