import { eq, sql } from "drizzle-orm";
import { bindingsOf } from "~/sync/config";
import { isSyncError, SyncError } from "~/sync/errors";
import { driftChecks, driftItems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { compareLinkedPage } from "./compare-linked";

const PAGE_SIZE = 200;
const MAX_PAGES = 10_000;

/**
 * Reads every document of the check's entity live from each system that holds it (page by page, through
 * its connector and rate limit), compares the linked ones with Concord's records, and stores what differs
 * as drift items. The counts grow page by page so a page can show progress; the check ends `done`, or
 * `failed` with the reason (items found before the failure stay).
 */
export async function runDriftCheck(engine: Engine, checkId: string): Promise<void> {
  const [check] = await engine.db.select().from(driftChecks).where(eq(driftChecks.id, checkId)).limit(1);
  if (!check || check.status !== "running") return;
  try {
    const entity = engine.config.entities[check.entity];
    if (!entity) throw new SyncError("NOT_FOUND", `Unknown entity "${check.entity}".`);
    for (const binding of bindingsOf(engine.config, entity.key)) {
      if (Object.keys(binding.fields).length === 0) continue;
      const conn = await getConnection(engine, binding.system);
      const connector = connectorFor(engine, conn);
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await connector.list(binding.resource, { cursor, limit: PAGE_SIZE });
        const found = await compareLinkedPage(engine.db, { entity, binding, docs: result.items });
        await engine.db.transaction(async (tx) => {
          if (found.findings.length) await tx.insert(driftItems).values(found.findings.map((f) => ({ ...f, checkId, entity: entity.key })));
          await tx
            .update(driftChecks)
            .set({ checked: sql`${driftChecks.checked} + ${found.checked}`, drifted: sql`${driftChecks.drifted} + ${found.drifted}` })
            .where(eq(driftChecks.id, checkId));
        });
        if (!result.next || result.next === cursor || result.items.length === 0) break;
        cursor = result.next;
      }
    }
    await engine.db.update(driftChecks).set({ status: "done", finishedAt: engine.now() }).where(eq(driftChecks.id, checkId));
  } catch (err) {
    if (!isSyncError(err)) engine.log.error({ err, checkId }, "drift check failed");
    const message = isSyncError(err) ? err.message : "Something went wrong on the server. It has been logged.";
    await engine.db.update(driftChecks).set({ status: "failed", error: message.slice(0, 1000), finishedAt: engine.now() }).where(eq(driftChecks.id, checkId));
  }
}
