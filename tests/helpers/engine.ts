import { randomBytes } from "node:crypto";
import type { TSyncConfig } from "~/sync/config";
import type { Engine } from "~/server/engine/context";
import { createEngine, type CreateEngineOptions } from "~/server/engine/create-engine";
import { ensureSystemRows } from "~/server/services/connections/get-connection";
import type { TestDb } from "./db";

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString("hex");

/** An engine over a test database, with the shipped configuration unless another is given. */
export async function createTestEngine(t: TestDb, opts: Partial<CreateEngineOptions> & { config?: TSyncConfig } = {}): Promise<Engine> {
  const engine = createEngine({ db: t.db, driver: t.driver, encryptionKey: TEST_ENCRYPTION_KEY, ...opts });
  await ensureSystemRows(engine);
  return engine;
}
