import { and, desc, eq } from "drizzle-orm";
import type { TBinding, TEntity, TSyncConfig } from "~/sync/config";
import { isRecordId, parsePendingRef } from "~/sync/identifiers";
import type { TValues } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { deliveries, links, records, type TBlocked } from "~/server/db/schema";
import { isLive } from "../linking/tombstone";

/** The parent a waiting delivery names: a record Concord holds, or a document of its origin Concord has not read yet. */
export type TParentRef =
  | { kind: "record"; entity: string; recordId: string; name: string }
  | { kind: "pending"; entity: string; system: string; externalId: string };

/**
 * A delivery whose record points at a parent (a vessel's company, an equipment's vessel) that the target
 * does not hold yet. It waits without counting an attempt and is woken when a parent of that entity lands
 * in the target (see recordSuccess). `key` is `<parent entity>:<parent record id or pending ref>`.
 * `blocked` says the parent cannot land as things stand (its own delivery there went dead).
 */
export class WaitingForParent extends Error {
  constructor(
    readonly key: string,
    message: string,
    readonly parent: TParentRef,
    readonly blocked: TBlocked | null = null,
  ) {
    super(message);
    this.name = "WaitingForParent";
  }
}


/** A record's name for people: its display field, with its natural key when they differ ("MV Nordic Star (9074729)"). */
export function recordName(entity: TEntity | undefined, data: Record<string, unknown> | null | undefined, naturalKey: string | null): string {
  const display = entity && data ? data[entity.displayField] : undefined;
  const shown = typeof display === "string" && display.trim() ? display : null;
  if (shown && naturalKey && shown !== naturalKey) return `${shown} (${naturalKey})`;
  return shown ?? naturalKey ?? "(unnamed)";
}

/**
 * The target system's ids for the record's references, by canonical field; throws WaitingForParent when a
 * parent is not (yet) in Concord or not yet in the target. Also returns each reference resolved to a record id.
 */
export async function translateReferences(
  db: Db,
  opts: { config: TSyncConfig; entity: TEntity; binding: TBinding; values: TValues; fields: string[] },
): Promise<{ external: Record<string, string | null>; resolved: Record<string, string | null> }> {
  const { config, entity, binding } = opts;
  const external: Record<string, string | null> = {};
  const resolved: Record<string, string | null> = {};
  const system = config.systems[binding.system]?.name ?? binding.system;
  for (const [field, parentEntity] of Object.entries(entity.references)) {
    if (!opts.fields.includes(field) || !binding.fields[field]) continue;
    const v = opts.values[field];
    if (v === null || v === undefined || v === "") {
      external[field] = null;
      resolved[field] = null;
      continue;
    }
    const label = config.entities[parentEntity]?.label.toLowerCase() ?? parentEntity;
    let recordId: string | null = isRecordId(v) ? v : null;
    if (!recordId) {
      const pending = parsePendingRef(String(v));
      const [row] = pending
        ? await db
            .select({ recordId: links.recordId })
            .from(links)
            .where(and(eq(links.system, pending.system), eq(links.entity, parentEntity), eq(links.externalId, pending.externalId)))
            .limit(1)
        : [];
      if (!row) {
        const origin = pending ? (config.systems[pending.system]?.name ?? pending.system) : "its origin";
        throw new WaitingForParent(
          `${parentEntity}:${String(v)}`,
          `waits for its ${label} (id ${pending?.externalId ?? String(v)} in ${origin}), which has not reached Concord yet`,
          { kind: "pending", entity: parentEntity, system: pending?.system ?? "", externalId: pending?.externalId ?? String(v) },
        );
      }
      recordId = row.recordId;
    }
    const rows = await db
      .select({ externalId: links.externalId, lastValues: links.lastValues })
      .from(links)
      .where(and(eq(links.recordId, recordId), eq(links.system, binding.system)));
    const link = rows.find(isLive);
    if (!link) throw await notInTarget(db, { config, parentEntity, recordId, system: binding.system, systemName: system, label });
    external[field] = link.externalId;
    resolved[field] = recordId;
  }
  return { external, resolved };
}

/** The parent is in Concord but not in the target: it waits, or is blocked when the parent's own delivery there went dead. */
async function notInTarget(
  db: Db,
  o: { config: TSyncConfig; parentEntity: string; recordId: string; system: string; systemName: string; label: string },
): Promise<WaitingForParent> {
  const [parent] = await db.select({ key: records.naturalKey, data: records.data }).from(records).where(eq(records.id, o.recordId)).limit(1);
  const name = recordName(o.config.entities[o.parentEntity], parent?.data, parent?.key ?? null);
  const key = `${o.parentEntity}:${o.recordId}`;
  const ref: TParentRef = { kind: "record", entity: o.parentEntity, recordId: o.recordId, name };
  const [last] = await db
    .select({ status: deliveries.status, lastError: deliveries.lastError })
    .from(deliveries)
    .where(and(eq(deliveries.recordId, o.recordId), eq(deliveries.system, o.system)))
    .orderBy(desc(deliveries.id))
    .limit(1);
  if (last?.status === "dead") {
    const blocked: TBlocked = { reason: "dead", parent: { entity: o.parentEntity, name, recordId: o.recordId, system: null, externalId: null } };
    const why = last.lastError ? `: ${last.lastError}` : "";
    return new WaitingForParent(key, `blocked: its ${o.label} ${name} could not be delivered to ${o.systemName} (its delivery is dead${why}); replay it to let this go`, ref, blocked);
  }
  return new WaitingForParent(key, `waits for its ${o.label} ${name} to reach ${o.systemName}`, ref);
}
