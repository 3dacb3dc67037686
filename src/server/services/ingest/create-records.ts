import { inArray } from "drizzle-orm";
import type { TSyncConfig } from "~/sync/config";
import { bindingFor } from "~/sync/config";
import { isIdKey, type TValues } from "~/sync/mapping";
import { planTargets } from "~/sync/plan";
import { runRows, type Db } from "~/server/db";
import { records } from "~/server/db/schema";
import { enqueueMany } from "../delivery/enqueue";
import { resolveWaitingChildren, writesBack, type TPrepared } from "./prepare";
import { linkIfFree } from "./record-store";

/** A source document new to Concord: its mapped values and the record data validated from them (writableValues). */
export interface TNewDoc {
  externalId: string;
  m: TPrepared;
  data: TValues;
  /** When the source changed it: the record's field stamps. */
  at: Date;
}

export interface TCreated<D extends TNewDoc = TNewDoc> {
  doc: D;
  recordId: string;
  targets: string[];
}

// A page of documents is one parameter each (a JSON array), so these are fixed texts, prepared once per connection,
// not builders rendering every value of every row (that rendering was a tenth of a full sync's CPU).
const INSERT_RECORDS = `insert into records (entity, natural_key, data, stamps)
  select x.entity, x.natural_key, x.data, x.stamps
    from jsonb_to_recordset($1::jsonb) as x(n int, entity text, natural_key text, data jsonb, stamps jsonb)
   order by x.n
  on conflict (entity, natural_key) where deleted_at is null do nothing
  returning id, natural_key`;
const INSERT_LINKS = `insert into links (record_id, entity, system, external_id, last_values, origin, last_synced_at, seen_at)
  select x.record_id, x.entity, x.system, x.external_id, x.last_values, 'sync', now(), x.seen_at
    from jsonb_to_recordset($1::jsonb) as x(n int, record_id uuid, entity text, system text, external_id text, last_values jsonb, seen_at timestamptz)
   order by x.n
  on conflict do nothing
  returning record_id`;

/**
 * The one writer of records new to Concord from a source system (one document from a webhook's change, a page of
 * them from a run), in a few statements for any number: the records, their links in that system, children that were
 * waiting for them, links to ids they name in other systems, and their deliveries. A document is handed back with
 * nothing written for it (`raced`) when a live record took its natural key meanwhile ("key"; also a second document
 * of the batch with the same key) or another record was linked to its id meanwhile ("link"): the caller applies it
 * onto what is there. Change rows are the caller's.
 */
export async function createRecords<D extends TNewDoc>(
  tx: Db,
  opts: { config: TSyncConfig; entity: string; system: string; runId?: string | null; docs: D[] },
): Promise<{ created: TCreated<D>[]; raced: { doc: D; why: "key" | "link" }[] }> {
  const entity = opts.config.entities[opts.entity]!;
  const keyOf = (d: TNewDoc) => String(d.data[entity.naturalKey]);
  const raced: { doc: D; why: "key" | "link" }[] = [];
  const unique = new Map<string, D>();
  for (const d of opts.docs) {
    if (unique.has(keyOf(d))) raced.push({ doc: d, why: "key" });
    else unique.set(keyOf(d), d);
  }
  const docs = [...unique.values()];
  if (docs.length === 0) return { created: [], raced };

  const inserted = await runRows<{ id: string; natural_key: string }>(
    tx,
    INSERT_RECORDS,
    docs.map((d) => ({ entity: entity.key, natural_key: keyOf(d), data: d.data, stamps: stampsOf(d, opts.system) })),
  );
  const idByKey = new Map(inserted.map((r) => [r.natural_key, r.id]));
  const made: { doc: D; recordId: string }[] = [];
  for (const doc of docs) {
    const recordId = idByKey.get(keyOf(doc));
    if (recordId) made.push({ doc, recordId });
    else raced.push({ doc, why: "key" });
  }
  if (made.length === 0) return { created: [], raced };

  const linked = await runRows<{ record_id: string }>(
    tx,
    INSERT_LINKS,
    made.map(({ doc, recordId }) => ({ record_id: recordId, entity: entity.key, system: opts.system, external_id: doc.externalId, last_values: doc.m.held, seen_at: doc.m.sourceTime })),
  );
  const linkedIds = new Set(linked.map((l) => l.record_id));
  const taken = made.filter((x) => !linkedIds.has(x.recordId));
  if (taken.length) {
    // Linked meanwhile (Concord's own create there just finished): the new records go again, nothing refers to them yet.
    await tx.delete(records).where(inArray(records.id, taken.map((x) => x.recordId)));
    raced.push(...taken.map(({ doc }) => ({ doc, why: "link" as const })));
  }
  const kept = made.filter((x) => linkedIds.has(x.recordId));
  await resolveWaitingChildren(tx, opts.config, { entity: entity.key, system: opts.system, linked: kept.map(({ doc, recordId }) => ({ externalId: doc.externalId, recordId })) });
  for (const { doc, recordId } of kept) await linkForeignIds(tx, { config: opts.config, entity: entity.key, recordId, values: doc.m.values });

  const binding = bindingFor(opts.config, entity.key, opts.system)!;
  const created = kept.map(({ doc, recordId }) => {
    const targets = planTargets({ config: opts.config, entity: entity.key, origin: opts.system, changedKeys: Object.keys(doc.data), created: true });
    // A value Concord generated (the document left it empty) goes back to the source too.
    if (writesBack(binding, doc.m.generated)) targets.push(opts.system);
    return { doc, recordId, targets };
  });
  await enqueueMany(tx, created.flatMap(({ doc, recordId, targets }) => targets.map((system) => ({ recordId, entity: entity.key, system, fields: Object.keys(doc.data), runId: opts.runId ?? null }))));
  return { created, raced };
}

function stampsOf(doc: TNewDoc, system: string) {
  const at = doc.at.toISOString();
  return Object.fromEntries(Object.keys(doc.data).map((k) => [k, { at, by: system }]));
}

/** A system that keeps another's id (the Dashboard's cms_id) links the record there: seed rule 6. */
export async function linkForeignIds(tx: Db, opts: { config: TSyncConfig; entity: string; recordId: string; values: TValues; linkedIn?: string[] }): Promise<void> {
  for (const [key, value] of Object.entries(opts.values)) {
    if (!isIdKey(key) || typeof value !== "string" || !value) continue;
    const system = key.slice(1);
    if (opts.linkedIn?.includes(system)) continue; // one link per record and system: it would change nothing
    if (await linkIfFree(tx, { recordId: opts.recordId, entity: opts.entity, system, externalId: value, origin: "id-field", lastValues: null })) {
      await resolveWaitingChildren(tx, opts.config, { entity: opts.entity, system, linked: [{ externalId: value, recordId: opts.recordId }] });
    }
  }
}
