#!/usr/bin/env bash
# `npm test`: everything, from a fresh checkout. Lint, type check, unit + store tests (SQLite and a throwaway
# PostgreSQL), integration against the sandbox, then the standalone production build driven by Playwright in Chromium.
#
# Most of the suite waits on simulated AWS time, not on the CPU (a serial run kept the 2 cores ~25 % busy), so it runs
# in four lanes at once, each with its own sandbox, and prints each lane's output as a block when the lane ends:
#   checks         lint, typecheck, unit tests
#   integration    two halves of the integration files, one sandbox each (files within a half run one at a time
#                  against it): the stack engine's (server/stack, ~4.5 min) and all the others (~4 min)
#   e2e            the standalone build, then Playwright against it (its own sandbox, e2e/server.ts)
# Set TEST_LANES=serial to run the same steps one after another (easier to read when hunting one failure).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/ensure-deps.sh --browser || exit 1
source scripts/node-env.sh

bold() { printf '\n\033[1m› %s\033[0m\n' "$*"; }
bold "Node $(node --version) ($(command -v node))"

lane_checks() {
  bold "lint" && npx eslint . --max-warnings 0 && npx prettier --check . --log-level warn &&
    bold "typecheck" && npx tsc --noEmit -p . &&
    bold "unit tests (vitest)" && npx vitest run --project unit
}
lane_engine() { bold "integration tests: the stack engine (vitest, own sandbox)" && npx vitest run --project integration server/stack/; }
# Every other integration file, by path (so a new one lands in a lane without editing this script). Named files,
# not a pattern: with no filter at all vitest would run the stack engine's files here too.
lane_rest() {
  local files
  files=$(find . -name '*.int.test.ts' -not -path './node_modules/*' -not -path './.next*' -not -path './server/stack/*' | sed 's|^\./||' | sort)
  [ -n "$files" ] || { echo "no integration test files found outside server/stack/" >&2; return 1; }
  bold "integration tests: all but the stack engine (vitest, own sandbox)" && npx vitest run --project integration $files
}
lane_e2e() {
  bold "build (standalone)" && bash scripts/build.sh &&
    bold "e2e tests (Playwright, Chromium, against the standalone server)" && npx playwright test
}

names=(checks "integration: stack engine" "integration: the rest" e2e)
cmds=(lane_checks lane_engine lane_rest lane_e2e)

if [ "${TEST_LANES:-parallel}" = "serial" ]; then
  for i in "${!cmds[@]}"; do ${cmds[$i]} || exit 1; done
  exit 0
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
declare -A pid_lane
started=$(date +%s)
for i in "${!cmds[@]}"; do
  (${cmds[$i]}) >"$logs/$i.log" 2>&1 &
  pid_lane[$!]=$i
done
bold "running ${#cmds[@]} lanes at once: ${names[*]}"

failed=()
summary=()
while [ ${#pid_lane[@]} -gt 0 ]; do
  wait -n -p done_pid
  status=$?
  i=${pid_lane[$done_pid]}
  unset "pid_lane[$done_pid]"
  took=$(($(date +%s) - started))
  printf '\n\033[1m══ lane %s: %s after %ds ══\033[0m\n' "${names[$i]}" "$([ $status -eq 0 ] && echo passed || echo "FAILED ($status)")" "$took"
  cat "$logs/$i.log"
  summary+=("$(printf '%-16s %-8s %4ds' "${names[$i]}" "$([ $status -eq 0 ] && echo ok || echo FAILED)" "$took")")
  [ $status -eq 0 ] || failed+=("${names[$i]}")
done

bold "lanes (finished after, from the start)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf '\n\033[1;31mFAILED: %s\033[0m\n' "${failed[*]}"
  exit 1
fi
