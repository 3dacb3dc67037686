import { and, eq } from "drizzle-orm";
import type { TBinding, TEntity, TSyncConfig } from "~/sync/config";
import { isRecordId, parsePendingRef } from "~/sync/identifiers";
import type { TValues } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { links, records } from "~/server/db/schema";

/**
 * A delivery whose record points at a parent (a vessel's company, an equipment's vessel) that the target
 * does not hold yet. It waits without counting an attempt and is woken when a parent of that entity lands
 * in the target (see recordSuccess). `key` is `<parent entity>:<parent record id or pending ref>`.
 */
export class WaitingForParent extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "WaitingForParent";
  }
}

const isLive = (l: { lastValues: Record<string, unknown> | null }) => !(l.lastValues && "$deleted" in l.lastValues);

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
      if (!row) throw new WaitingForParent(`${parentEntity}:${String(v)}`, `waits for its ${label} (${String(v)}), which has not reached Concord yet`);
      recordId = row.recordId;
    }
    const rows = await db
      .select({ externalId: links.externalId, lastValues: links.lastValues })
      .from(links)
      .where(and(eq(links.recordId, recordId), eq(links.system, binding.system)));
    const link = rows.find(isLive);
    if (!link) {
      const [parent] = await db.select({ key: records.naturalKey }).from(records).where(eq(records.id, recordId)).limit(1);
      throw new WaitingForParent(`${parentEntity}:${recordId}`, `waits for its ${label} ${parent?.key ?? recordId} to reach ${system}`);
    }
    external[field] = link.externalId;
    resolved[field] = recordId;
  }
  return { external, resolved };
}
