#!/usr/bin/env bash
# Every test: lint, typecheck, unit + integration (vitest), end-to-end (Playwright in Debian's chromium).
# Integration and e2e run on embedded PGlite, or on Postgres when TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
db="PGlite"; [ -n "${TEST_DATABASE_URL:-}" ] && db="Postgres ($TEST_DATABASE_URL)"
echo "== lint"; npx eslint . --max-warnings=0
echo "== typecheck"; npx tsc --noEmit
echo "== unit and integration tests on $db"; npx vitest run
echo "== end-to-end tests on $db"; node scripts/e2e.mjs
