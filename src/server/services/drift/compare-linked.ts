import { and, eq, inArray, isNull } from "drizzle-orm";
import type { TBinding, TEntity } from "~/sync/config";
import type { TDoc } from "~/sync/connectors";
import { mapIn, normalizePresent, sameValue, type TMappedDoc, type TValues } from "~/sync/mapping";
import type { Db } from "~/server/db";
import { links, records } from "~/server/db/schema";

export interface TDriftFinding {
  recordId: string;
  system: string;
  externalId: string;
  field: string;
  concordValue: unknown;
  systemValue: unknown;
}

export interface TPageComparison {
  /** Linked documents on the page that were compared. */
  checked: number;
  /** Of those, how many differ in at least one field. */
  drifted: number;
  findings: TDriftFinding[];
}

const empty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** The canonical form the entity's schema gives each present value (trims, IMO numbers…); values it refuses stay as they are. */
function canonical(entity: TEntity, values: TValues): TValues {
  const out = normalizePresent(values, entity.kinds);
  for (const [k, v] of Object.entries(out)) {
    const shape = (entity.schema.shape as Record<string, { safeParse?: (x: unknown) => { success: boolean; data?: unknown } }>)[k];
    const parsed = shape?.safeParse?.(v);
    if (parsed?.success) out[k] = parsed.data ?? null;
  }
  return out;
}

/** Reference fields hold the system's id of the parent: translate them to Concord record ids through the links. */
async function translateReferences(db: Db, entity: TEntity, binding: TBinding, mapped: TMappedDoc[]): Promise<void> {
  for (const [field, target] of Object.entries(entity.references)) {
    if (!binding.fields[field]) continue;
    const wanted = [...new Set(mapped.map((m) => m.values[field]).filter((v) => !empty(v)).map(String))];
    if (wanted.length === 0) continue;
    const rows = await db
      .select({ externalId: links.externalId, recordId: links.recordId })
      .from(links)
      .where(and(eq(links.system, binding.system), eq(links.entity, target), inArray(links.externalId, wanted)));
    const byId = new Map(rows.map((r) => [r.externalId, r.recordId]));
    for (const m of mapped) {
      const v = m.values[field];
      if (!empty(v)) m.values[field] = byId.get(String(v)) ?? `${binding.system}:${String(v)}`;
    }
  }
}

/**
 * Compares one page of a system's documents with the Concord records they are linked to, field by field
 * over the binding's common fields (every mapped field: owner, both or receive), after normalisation.
 * Not compared: documents not linked or left out by the binding's filters, deleted records, fields the
 * document does not report, fields held by an open conflict (the inbox shows those), and fields Concord
 * generated that the document leaves empty.
 */
export async function compareLinkedPage(db: Db, opts: { entity: TEntity; binding: TBinding; docs: TDoc[] }): Promise<TPageComparison> {
  const { entity, binding } = opts;
  const mapped = opts.docs.map((d) => mapIn(binding, entity, d)).filter((m) => m.included && m.externalId !== null);
  const out: TPageComparison = { checked: 0, drifted: 0, findings: [] };
  if (mapped.length === 0) return out;
  const rows = await db
    .select({ externalId: links.externalId, recordId: links.recordId, data: records.data, held: records.held })
    .from(links)
    .innerJoin(records, eq(records.id, links.recordId))
    .where(and(eq(links.system, binding.system), eq(links.entity, entity.key), inArray(links.externalId, mapped.map((m) => m.externalId!)), isNull(records.deletedAt)));
  const byExternal = new Map(rows.map((r) => [r.externalId, r]));
  await translateReferences(db, entity, binding, mapped);
  const fields = Object.keys(binding.fields);

  for (const m of mapped) {
    const row = byExternal.get(m.externalId!);
    if (!row) continue;
    out.checked++;
    const theirs = canonical(entity, Object.fromEntries(fields.filter((f) => f in m.values).map((f) => [f, m.values[f]])));
    const ours = canonical(entity, Object.fromEntries(fields.map((f) => [f, row.data[f] ?? null])));
    let differs = false;
    for (const field of fields) {
      if (!(field in theirs) || row.held[field]) continue;
      if (entity.generate?.[field] && empty(theirs[field])) continue;
      if (sameValue(theirs[field] ?? null, ours[field] ?? null)) continue;
      differs = true;
      out.findings.push({ recordId: row.recordId, system: binding.system, externalId: m.externalId!, field, concordValue: ours[field] ?? null, systemValue: theirs[field] ?? null });
    }
    if (differs) out.drifted++;
  }
  return out;
}
