import { and, eq, inArray, sql } from "drizzle-orm";
import { mayReceive, referencesTo, type TBinding, type TEntity, type TSyncConfig } from "~/sync/config";
import type { TDoc } from "~/sync/connectors";
import { generatedQrCode, isRecordId, parsePendingRef, pendingRef } from "~/sync/identifiers";
import { mapIn, type TMappedDoc, type TValues } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { links, records } from "~/server/db/schema";

export interface TPrepared extends TMappedDoc {
  /** What the system itself holds, in canonical terms (before Concord generated anything): its link's last agreed values. */
  held: TValues;
  /** Fields Concord generated because the document left them empty (e.g. a QR code). */
  generated: string[];
}

const GENERATORS = { "qr-code": generatedQrCode };
const empty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** Does a field Concord generated go back to the system it came from? Only where that system takes it (`both`). */
export function writesBack(binding: TBinding, generated: string[]): boolean {
  return generated.some((f) => mayReceive(binding, f));
}

/**
 * Documents → canonical values, beyond the pure mapping: references are translated from the system's ids
 * to Concord record ids through its links (a parent Concord has not seen yet stays `<system>:<id>` until it
 * arrives), and fields the entity generates are filled where the document left them empty.
 */
export async function prepareDocs(db: Db, opts: { binding: TBinding; entity: TEntity; docs: TDoc[] }): Promise<{ doc: TDoc; m: TPrepared }[]> {
  const { binding, entity } = opts;
  const out = opts.docs.map((doc) => {
    const m = mapIn(binding, entity, doc);
    return { doc, m: { ...m, held: { ...m.values }, generated: [] as string[] } };
  });
  for (const [field, how] of Object.entries(entity.generate ?? {})) {
    for (const { m } of out) {
      if (!m.externalId || !empty(m.values[field]) || !binding.fields[field]) continue;
      m.values[field] = GENERATORS[how](binding.system, m.externalId);
      m.generated.push(field);
    }
  }
  for (const [field, target] of Object.entries(entity.references)) {
    if (!binding.fields[field]) continue;
    const wanted = [...new Set(out.map(({ m }) => m.values[field]).filter((v) => !empty(v)).map(String))];
    if (wanted.length === 0) continue;
    const rows = await db
      .select({ externalId: links.externalId, recordId: links.recordId })
      .from(links)
      .where(and(eq(links.system, binding.system), eq(links.entity, target), inArray(links.externalId, wanted)));
    const byId = new Map(rows.map((r) => [r.externalId, r.recordId]));
    for (const { m } of out) {
      const v = m.values[field];
      if (empty(v)) continue;
      const translated = byId.get(String(v)) ?? pendingRef(binding.system, String(v));
      m.values[field] = translated;
      m.held[field] = translated;
    }
  }
  return out;
}

/**
 * A record keeps `<system>:<id>` for a parent that had not reached Concord when it arrived; once the parent
 * is linked, the reference becomes the parent's record id. Returns the upgraded data, or null if nothing changed.
 */
export async function resolvePendingRefs(db: Db, entity: TEntity, data: TValues): Promise<TValues | null> {
  let out: TValues | null = null;
  for (const [field, target] of Object.entries(entity.references)) {
    const v = data[field];
    if (typeof v !== "string" || isRecordId(v)) continue;
    const ref = parsePendingRef(v);
    if (!ref) continue;
    const [row] = await db
      .select({ recordId: links.recordId })
      .from(links)
      .where(and(eq(links.system, ref.system), eq(links.entity, target), eq(links.externalId, ref.externalId)))
      .limit(1);
    if (row) out = { ...(out ?? data), [field]: row.recordId };
  }
  return out;
}

/**
 * Parents just linked to `system`: children that arrived before them and still hold `<system>:<id>`
 * now hold the parent's record id (same meaning, no new version), whether or not they change again.
 */
export async function resolveWaitingChildren(db: Db, config: TSyncConfig, opts: { entity: string; system: string; linked: { externalId: string; recordId: string }[] }): Promise<void> {
  if (opts.linked.length === 0) return;
  const pairs = sql.join(
    opts.linked.map((l) => sql`(${pendingRef(opts.system, l.externalId)}, ${l.recordId})`),
    sql`, `,
  );
  for (const { child, field } of referencesTo(config, opts.entity)) {
    await db.execute(sql`
      update ${records} set data = jsonb_set(${records.data}, ${`{${field}}`}::text[], to_jsonb(v.record_id::text))
      from (values ${pairs}) as v(ref, record_id)
      where ${records.entity} = ${child} and ${records.data}->>${field} = v.ref`);
  }
}
