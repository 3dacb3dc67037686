import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { TSyncConfig } from "~/sync/config";
import type { Engine } from "~/server/engine/context";
import { createEngine, type CreateEngineOptions } from "~/server/engine/create-engine";
import { ensureSystemRows } from "~/server/services/connections/get-connection";
import { createTestDb, type TestDb } from "./db";

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString("hex");

/** An engine over a test database, with the shipped configuration unless another is given. */
export async function createTestEngine(t: TestDb, opts: Partial<CreateEngineOptions> & { config?: TSyncConfig } = {}): Promise<Engine> {
  const engine = createEngine({ db: t.db, driver: t.driver, encryptionKey: TEST_ENCRYPTION_KEY, ...opts });
  await ensureSystemRows(engine);
  return engine;
}

/**
 * One test database and engine for a test file, made before its tests and destroyed after them:
 * `const h = useTestEngine();`, then `h.engine` and `h.t` inside the tests.
 */
export function useTestEngine(opts: Partial<CreateEngineOptions> & { config?: TSyncConfig } = {}): { readonly t: TestDb; readonly engine: Engine } {
  const h = {} as { t: TestDb; engine: Engine };
  beforeAll(async () => {
    h.t = await createTestDb();
    h.engine = await createTestEngine(h.t, opts);
  }, 60_000);
  afterAll(async () => {
    await h.t?.destroy();
  });
  return h;
}
