import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// The chaos suite starts Concord, workers and the sample systems as processes on Postgres: it runs only
// when TEST_DATABASE_URL is set (the Postgres pass of scripts/test.sh), and is left out of the PGlite pass.
// So does the runs-across-ticks test (a `next start` and this test share the database).
const postgresOnly = process.env.TEST_DATABASE_URL ? [] : ["tests/integration/chaos.test.ts", "tests/integration/runs-across-ticks.test.ts"];
// The pooled test needs PgBouncer in front of that Postgres (TEST_POOLED_DATABASE_URL too): only the pooled pass runs it.
const pooledOnly = process.env.TEST_POOLED_DATABASE_URL && process.env.TEST_DATABASE_URL ? [] : ["tests/integration/pooled-postgres.test.ts"];

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts", "integrations/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...postgresOnly, ...pooledOnly],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at a time (each has its own database and sample systems): most of a file's time is
    // spent waiting on HTTP and timers, so this halves the suite on a 2-core machine.
    maxWorkers: 2,
  },
});
