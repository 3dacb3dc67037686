import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { hostAllowed } from "~/sync/connectors/allowed-hosts";
import { SyncError } from "~/sync/errors";
import { ZRetrySchedule } from "~/sync/retry";
import { systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { getSystemDefOrThrow } from "../connections/get-connection";
import { writeAudit } from "../write-audit";
import { getSystem } from "./get-system";
import { getSystemRow } from "./get-system-row";
import { auditableSettings, ZSystemKey, type TSystemView } from "./system-view";
import { wakeOnCommit } from "~/server/db/wake-on-commit";

const ZBaseUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
    } catch {
      return false;
    }
  }, "must be an http(s) URL without credentials (set those with setCredential)");

/** Only the fields given change. */
export const ZUpdateSystemInput = z.object({
  key: ZSystemKey,
  baseUrl: ZBaseUrl.optional(),
  rateLimitPerSecond: z.number().min(0.1).max(10_000).optional(),
  retrySchedule: ZRetrySchedule.optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  enabled: z.boolean().optional(),
});

/**
 * Edits a system's connection settings, audited before → after (secrets are edited elsewhere and never
 * appear here). Disabling makes its deliveries wait; enabling wakes the workers so they go at once.
 */
export async function updateSystem({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZUpdateSystemInput> }): Promise<TSystemView> {
  const { key, ...patch } = ZUpdateSystemInput.parse(input);
  getSystemDefOrThrow(engine, key);
  if (patch.baseUrl && !hostAllowed(new URL(patch.baseUrl), engine.allowedHosts)) {
    throw new SyncError("UNPROCESSABLE", `${new URL(patch.baseUrl).host} is not on the allowed hosts list (CONCORD_ALLOWED_HOSTS).`, { field: "baseUrl" });
  }
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  await engine.db.transaction(async (tx) => {
    const before = await getSystemRow(tx, key, { forUpdate: true });
    const [after] = await tx
      .update(systems)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(systems.key, key))
      .returning();
    await writeAudit(tx, { actor, action: "systems.update", target: `system:${key}`, before: auditableSettings(before), after: auditableSettings(after!) });
    if (changes.enabled === true) wakeOnCommit(tx); // its waiting deliveries can go
  });
  return getSystem({ engine, key });
}
