import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { deliveries } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { enqueueDeliveries } from "../delivery/enqueue";
import { applyChange } from "../ingest/apply-change";
import { linkRecord, type TLinkResult } from "./link-record";
import { ZEntityKey, ZSystemKey } from "./link-view";
import { resolveScope } from "./resolve-scope";

const ZDocRef = z.object({ system: ZSystemKey, externalId: z.string().min(1).max(200) });
export const ZLinkDocumentsInput = z.object({ entity: ZEntityKey, from: ZDocRef, to: ZDocRef });

/**
 * Links two documents of two systems that Concord has not met yet (matching before the first run): the `from`
 * document becomes (or joins, by natural key) a Concord record, then that record is linked to the `to` document
 * by hand — never created there. Differing natural keys wait as a conflict naming both systems.
 */
export async function linkDocuments({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZLinkDocumentsInput> }): Promise<TLinkResult> {
  const { entity, from, to } = ZLinkDocumentsInput.parse(input);
  if (from.system === to.system) throw new SyncError("BAD_REQUEST", "Link documents of two different systems.", { field: "to" });
  const source = resolveScope(engine, entity, from.system);
  resolveScope(engine, entity, to.system);
  const conn = await getConnection(engine, from.system);
  const doc = await connectorFor(engine, conn).get(source.binding.resource, from.externalId);
  if (!doc) throw new SyncError("NOT_FOUND", `${conn.def.name} has no ${source.entity.label.toLowerCase()} "${from.externalId}".`, { field: "from" });

  // The record, without the create it would send to `to` (the link replaces it).
  const recordId = await engine.db.transaction(async (tx) => {
    const applied = await applyChange(tx, engine.config, { entity, system: from.system, kind: "update", externalId: from.externalId, doc, eventTime: null }, engine.now());
    if (!applied.recordId) throw new SyncError("UNPROCESSABLE", `${conn.def.name} "${from.externalId}" did not become a record: ${applied.detail ?? applied.outcome}.`, { field: "from" });
    await tx.delete(deliveries).where(and(eq(deliveries.recordId, applied.recordId), eq(deliveries.system, to.system), eq(deliveries.attempts, 0), inArray(deliveries.status, ["pending"])));
    return applied.recordId;
  });
  try {
    return await linkRecord({ engine, actor, input: { recordId, system: to.system, externalId: to.externalId, relink: false }, auditAction: "links.linkDocuments" });
  } catch (err) {
    // Not linked after all: the record goes to `to` as any new record would.
    await enqueueDeliveries(engine.db, { recordId, entity, systems: [to.system], fields: Object.keys(resolveScope(engine, entity, to.system).binding.fields) });
    throw err;
  }
}
