#!/usr/bin/env bash
# Every test: lint, typecheck, unit + integration (vitest) on embedded PGlite and, when TEST_DATABASE_URL
# is set, again on Postgres; then end-to-end (Playwright in Debian's chromium) on PGlite, as the demo runs.
# E2E_DATABASE=postgres runs the end-to-end tests on TEST_DATABASE_URL instead. With TEST_POOLED_DATABASE_URL
# too (PgBouncer in transaction mode in front of the same server: scripts/pgbouncer.sh), the webhook intake,
# delivery, runs (with runs-across-ticks: `next start` in serverless mode driven by cron ticks), schedules and SSE
# tests run once more with all their traffic through the pooler. The short
# chaos suite (scripts/chaos, docs/reliability.md) runs after the Postgres pass, alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
pg="${TEST_DATABASE_URL:-}"
pooled="${TEST_POOLED_DATABASE_URL:-}"
echo "== lint"; npx eslint . --max-warnings=0
echo "== typecheck"; npx tsc --noEmit
echo "== unit and integration tests on PGlite"; env -u TEST_DATABASE_URL -u TEST_POOLED_DATABASE_URL npx vitest run
if [ -n "$pg" ]; then
  echo "== integration tests on Postgres ($pg)"
  # The runs-across-ticks test (next start in serverless mode, SIGKILLs) runs once: through the pooler when there is one.
  ticks_here=(); [ -n "$pooled" ] && ticks_here=(--exclude tests/integration/runs-across-ticks.test.ts)
  env -u TEST_POOLED_DATABASE_URL TEST_DATABASE_URL="$pg" npx vitest run tests/integration --exclude tests/integration/chaos.test.ts "${ticks_here[@]}"
  # On its own: its processes would starve the files running beside it on a small machine.
  echo "== the short chaos suite on Postgres (3 seeded trials: concurrent edits, webhook faults, SIGKILLs)"
  env -u TEST_POOLED_DATABASE_URL TEST_DATABASE_URL="$pg" npx vitest run tests/integration/chaos.test.ts
fi
if [ -n "$pg" ] && [ -n "$pooled" ]; then
  echo "== webhook intake, delivery, runs (runs-across-ticks: next start serverless, SIGKILLs), schedules and SSE tests through the pooler ($pooled)"
  TEST_DATABASE_URL="$pg" TEST_POOLED_DATABASE_URL="$pooled" npx vitest run tests/integration/pooled-postgres.test.ts \
    tests/integration/webhook-intake.test.ts tests/integration/engine-industries.test.ts tests/integration/engine-workers.test.ts \
    tests/integration/deliveries-*.test.ts tests/integration/runs-*.test.ts tests/integration/sse*.test.ts \
    tests/integration/schedules.test.ts tests/integration/cron.test.ts
fi
if [ "${E2E_DATABASE:-pglite}" = "postgres" ] && [ -n "$pg" ]; then
  echo "== end-to-end tests on Postgres ($pg)"; TEST_DATABASE_URL="$pg" node scripts/e2e.mjs
else
  echo "== end-to-end tests on PGlite"; env -u TEST_DATABASE_URL node scripts/e2e.mjs
fi
