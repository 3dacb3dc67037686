import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { bindingsOf } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import type { TDoc } from "~/sync/connectors";
import { idKey, mapIn, type TValues } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { changes, links, records, type TLinkRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { enqueueDeliveries } from "../delivery/enqueue";
import { resolveWaitingChildren } from "../ingest/prepare";
import { findLink, linksOf, lockRecord } from "../ingest/record-store";
import { writeAudit } from "../write-audit";
import { clearStoredIds, dropLink } from "./drop-link";
import { toLinkView, ZLinkTarget, ZLinkView } from "./link-view";
import { holdKeyOnLink, releaseLinkConflicts } from "./merge-on-link";
import { resolveScope, type TLinkScope } from "./resolve-scope";

export const ZLinkRecordInput = ZLinkTarget.extend({ relink: z.boolean().default(false) });
export const ZLinkResult = z.object({
  link: ZLinkView,
  displaced: z.array(ZLinkView),
  /** The natural key, when the two differed: held as an open conflict for an admin to choose. */
  conflicts: z.array(z.object({ conflictId: z.string(), field: z.string(), theirs: z.unknown(), ours: z.unknown() })).default([]),
});
export type TLinkResult = z.infer<typeof ZLinkResult>;

async function liveRecordOrThrow(db: Db, recordId: string, lock: boolean) {
  const row = lock ? await lockRecord(db, recordId) : (await db.select().from(records).where(eq(records.id, recordId)).limit(1))[0];
  if (!row || row.deletedAt) throw new SyncError("NOT_FOUND", `No live record ${recordId}.`, { field: "recordId" });
  return row;
}

/** The links a new link would displace; CONFLICT unless relinking (and always for the same pair). */
async function displacedBy(db: Db, opts: { recordId: string; entity: string; system: string; externalId: string; relink: boolean }): Promise<TLinkRow[]> {
  const [byRecord] = await db.select().from(links).where(and(eq(links.recordId, opts.recordId), eq(links.system, opts.system))).limit(1);
  const byExternal = await findLink(db, opts);
  if (byExternal?.recordId === opts.recordId) throw new SyncError("CONFLICT", `This record is already linked to ${opts.system} "${opts.externalId}".`);
  if (!opts.relink && byExternal) {
    throw new SyncError("CONFLICT", `${opts.system} "${opts.externalId}" is already linked to record ${byExternal.recordId}: relink to move it.`, { field: "externalId" });
  }
  if (!opts.relink && byRecord) {
    throw new SyncError("CONFLICT", `This record is already linked in ${opts.system} (to "${byRecord.externalId}"): relink to move it.`, { field: "recordId" });
  }
  return [byRecord, byExternal].filter((l): l is TLinkRow => !!l);
}

/** The external document and its canonical values, read through the system's connector. */
async function readExternal(engine: Engine, scope: TLinkScope, externalId: string): Promise<{ doc: TDoc; values: TValues }> {
  const conn = await getConnection(engine, scope.binding.system);
  const doc = await connectorFor(engine, conn).get(scope.binding.resource, externalId);
  if (!doc) throw new SyncError("NOT_FOUND", `${conn.def.name} has no ${scope.entity.label.toLowerCase()} "${externalId}".`, { field: "externalId" });
  const mapped = mapIn(scope.binding, scope.entity, doc);
  if (!mapped.included) throw new SyncError("BAD_REQUEST", `${conn.def.name} "${externalId}" is left out by the binding's filters.`, { field: "externalId" });
  return { doc, values: mapped.values };
}

/**
 * Links a record to a document of a system by hand (seed rule 6). The document's current values become
 * the link's last agreed values, and a delivery is queued so the system takes Concord's values where
 * they differ; systems that store this system's id (the Dashboard's cms_id) are told it. With `relink`
 * the pair's existing links move: the record's old link in that system and the document's old record.
 */
export async function linkRecord({
  engine,
  actor,
  input,
  auditAction,
}: {
  engine: Engine;
  actor: TActor;
  input: z.input<typeof ZLinkRecordInput>;
  auditAction?: string;
}): Promise<TLinkResult> {
  const { recordId, system, externalId, relink } = ZLinkRecordInput.parse(input);
  const action = auditAction ?? (relink ? "links.relink" : "links.link");
  const scope = resolveScope(engine, (await liveRecordOrThrow(engine.db, recordId, false)).entity, system);
  const entity = scope.entity.key;
  const pair = { recordId, entity, system, externalId, relink };
  await displacedBy(engine.db, pair); // refuse before calling the system
  const external = await readExternal(engine, scope, externalId);

  const result = await engine.db.transaction(async (tx) => {
    const current = await liveRecordOrThrow(tx, recordId, true);
    const displaced = await displacedBy(tx, pair);
    for (const old of displaced) {
      await releaseLinkConflicts(tx, { recordId: old.recordId, system: old.system, detail: `link moved by ${actor.label}` });
      await dropLink(tx, { link: old, detail: old.recordId === recordId ? `relinked to "${externalId}" by ${actor.label}` : `moved to record ${recordId} by ${actor.label}` });
    }
    const [row] = await tx
      .insert(links)
      .values({ recordId, entity, system, externalId, origin: "manual", lastValues: external.values, lastSyncedAt: new Date() })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new SyncError("CONFLICT", `${system} "${externalId}" was linked meanwhile: try again.`);
    await resolveWaitingChildren(tx, engine.config, { entity, system, linked: [{ externalId, recordId }] });
    await tx.insert(changes).values({ recordId, entity, system, externalId, kind: "update", outcome: "linked", detail: `linked by hand by ${actor.label}` });
    // Natural keys that differ: an open conflict naming both systems, not a write a unique key may refuse.
    const settled = await holdKeyOnLink(tx, { scope, record: current, external: external.values });

    // The system takes Concord's values where they differ; the systems keeping its id learn it.
    const linkedIn = new Set((await linksOf(tx, recordId)).map((l) => l.system));
    const keepers = bindingsOf(engine.config, entity)
      .filter((b) => b.storesIdOf[system] && b.system !== system && linkedIn.has(b.system))
      .map((b) => b.system);
    await enqueueDeliveries(tx, { recordId, entity, systems: [system], fields: Object.keys(scope.binding.fields) });
    await enqueueDeliveries(tx, { recordId, entity, systems: keepers, fields: [idKey(system)] });

    const link = toLinkView(row);
    const before = displaced.find((l) => l.recordId === recordId);
    const taken = displaced.find((l) => l.recordId !== recordId);
    await writeAudit(tx, {
      actor,
      action,
      target: `record:${recordId}`,
      before: { link: before ? toLinkView(before) : null, displaced: taken ? toLinkView(taken) : null },
      after: { link, conflicts: settled },
    });
    return { link, displaced: displaced.map(toLinkView), conflicts: settled };
  });
  // A record that lost its link no longer owns that id where another system stores it.
  for (const old of result.displaced) {
    if (old.recordId !== recordId) await clearStoredIds(engine, { recordId: old.recordId, entity, system, externalId: old.externalId });
  }
  return result;
}
