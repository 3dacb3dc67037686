import { and, eq, inArray, sql } from "drizzle-orm";
import { bindingsOf } from "~/sync/config";
import { idKey, mapIn } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { changes, deliveries, links, type TLinkRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { linksOf } from "../ingest/record-store";
import { isLive } from "./tombstone";

/**
 * Removes one link inside the caller's transaction. Nothing is deleted in any system; a write still
 * waiting for that (record, system) is cancelled, since without the link it would create a copy there.
 */
export async function dropLink(tx: Db, opts: { link: TLinkRow; detail: string }): Promise<{ cancelledDeliveries: number }> {
  const { link } = opts;
  await tx.delete(links).where(eq(links.id, link.id));
  const cancelled = await tx
    .update(deliveries)
    .set({ status: "cancelled", lastError: opts.detail, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(deliveries.recordId, link.recordId), eq(deliveries.system, link.system), inArray(deliveries.status, ["pending", "retrying"])))
    .returning({ id: deliveries.id });
  await tx.insert(changes).values({
    recordId: link.recordId,
    entity: link.entity,
    system: link.system,
    externalId: link.externalId,
    kind: "update",
    outcome: "unlinked",
    detail: opts.detail,
  });
  return { cancelledDeliveries: cancelled.length };
}

export interface TClearedId {
  system: string;
  ok: boolean;
  error: string | null;
}

/**
 * After a record lost its link in `system`, the systems that store that system's id (the Dashboard's
 * cms_id) stop claiming it for this record; otherwise their next change would link it again.
 * Best effort, after the commit: a failure is reported, never undoes the unlink.
 */
export async function clearStoredIds(engine: Engine, opts: { recordId: string; entity: string; system: string; externalId: string }): Promise<TClearedId[]> {
  const own = await linksOf(engine.db, opts.recordId);
  if (own.some((l) => l.system === opts.system)) return []; // linked again meanwhile: a delivery writes the new id
  const out: TClearedId[] = [];
  for (const keeper of bindingsOf(engine.config, opts.entity)) {
    const field = keeper.storesIdOf[opts.system];
    const link = own.find((l) => l.system === keeper.system);
    if (!field || !isLive(link)) continue;
    try {
      const conn = await getConnection(engine, keeper.system);
      const connector = connectorFor(engine, conn);
      const doc = await connector.get(keeper.resource, link.externalId);
      const entity = engine.config.entities[opts.entity];
      if (!doc || !entity || mapIn(keeper, entity, doc).values[idKey(opts.system)] !== opts.externalId) continue;
      await connector.update(keeper.resource, link.externalId, { [field]: null });
      await engine.db
        .update(links)
        .set({ lastValues: sql`coalesce(${links.lastValues}, '{}'::jsonb) || ${JSON.stringify({ [idKey(opts.system)]: null })}::jsonb` })
        .where(eq(links.id, link.id));
      out.push({ system: keeper.system, ok: true, error: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      engine.log.warn({ recordId: opts.recordId, system: keeper.system, err: message }, "could not clear a stored id after unlinking");
      out.push({ system: keeper.system, ok: false, error: message.slice(0, 500) });
    }
  }
  return out;
}
