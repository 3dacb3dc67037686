import { and, eq, inArray, isNull } from "drizzle-orm";
import { bindingFor, isSourceBinding, type TSyncConfig } from "~/sync/config";
import type { TDoc } from "~/sync/connectors";
import { isSyncError } from "~/sync/errors";
import { isIdKey, sameValue, writableValues } from "~/sync/mapping";
import { mergeChange } from "~/sync/merge";
import { runRows, type Db } from "~/server/db";
import { links, records, type TLinkRow, type TRecordRow } from "~/server/db/schema";
import { applyChange, validateCanonical } from "../ingest/apply-change";
import { createRecords, type TNewDoc } from "../ingest/create-records";
import { prepareDocs, writesBack } from "../ingest/prepare";
import type { TChangeOutcome } from "../ingest/types";

export interface TPageItem {
  /** null for an item that names no document (a selected record with no link there). */
  externalId: string | null;
  recordId: string | null;
  label: string | null;
  outcome: TChangeOutcome | "failed" | "invalid";
  error?: string;
  /** For an invalid document: the canonical field its error is about. */
  field?: string;
}

/** The change rows of a page's new records: one parameter (a JSON array), a fixed text. */
const INSERT_CREATED_CHANGES = `insert into changes (record_id, entity, system, external_id, kind, outcome, fields, run_id)
  select x.record_id, x.entity, x.system, x.external_id, 'create', 'created', x.fields, x.run_id
    from jsonb_to_recordset($1::jsonb) as x(n int, record_id uuid, entity text, system text, external_id text, fields jsonb, run_id uuid)
   order by x.n`;

/**
 * Applies one page of a system's documents inside the caller's transaction, in bulk where it can:
 * documents already in agreement cost nothing, brand-new ones are created with a few multi-row
 * statements, and everything else goes through the full per-document merge (applyChange).
 */
export async function ingestPage(tx: Db, opts: { config: TSyncConfig; entity: string; system: string; docs: TDoc[]; runId: string; now: Date }): Promise<TPageItem[]> {
  const { config } = opts;
  const entity = config.entities[opts.entity]!;
  const binding = bindingFor(config, opts.entity, opts.system)!;
  const mapped = (await prepareDocs(tx, { binding, entity, docs: opts.docs })).filter((x) => x.m.externalId !== null);
  const ids = mapped.map((x) => x.m.externalId!);
  const linkRows = ids.length
    ? await tx.select().from(links).where(and(eq(links.system, opts.system), eq(links.entity, opts.entity), inArray(links.externalId, ids)))
    : [];
  const linkById = new Map<string, TLinkRow>(linkRows.map((l) => [l.externalId, l]));
  const recordRows = linkRows.length ? await tx.select().from(records).where(inArray(records.id, linkRows.map((l) => l.recordId))) : [];
  const recordById = new Map<string, TRecordRow>(recordRows.map((r) => [r.id, r]));

  const items: TPageItem[] = [];
  const slow: typeof mapped = [];
  const fresh: typeof mapped = [];
  for (const x of mapped) {
    const link = linkById.get(x.m.externalId!);
    const record = link ? recordById.get(link.recordId) : undefined;
    const label = String(x.m.values[entity.displayField] ?? x.m.externalId);
    if (!x.m.included) {
      items.push({ externalId: x.m.externalId!, recordId: record?.id ?? null, label, outcome: "filtered" });
    } else if (link && record && !record.deletedAt && !writesBack(binding, x.m.generated) && inAgreement(entity, binding, record, link, x.m.values, x.m.sourceTime ?? opts.now)) {
      items.push({ externalId: x.m.externalId!, recordId: record.id, label, outcome: "unchanged" });
    } else if (!link) fresh.push(x);
    else slow.push(x);
  }

  // New documents whose natural key Concord does not hold yet: create them together.
  const keys = fresh.map((x) => x.m.values[entity.naturalKey]).filter((k): k is string => typeof k === "string");
  const taken = keys.length
    ? new Set((await tx.select({ k: records.naturalKey }).from(records).where(and(eq(records.entity, entity.key), inArray(records.naturalKey, keys), isNull(records.deletedAt)))).map((r) => r.k))
    : new Set<string>();
  const creatable = isSourceBinding(binding);
  const bulk: (TNewDoc & { x: (typeof fresh)[number] })[] = [];
  for (const x of fresh) {
    const key = x.m.values[entity.naturalKey];
    // A document that names another system's id (the Dashboard's cms_id) links there: the full path. An empty one does not.
    const namesAnId = Object.entries(x.m.values).some(([k, v]) => isIdKey(k) && v !== null && v !== "");
    if (!creatable || typeof key !== "string" || taken.has(key) || namesAnId) {
      slow.push(x);
      continue;
    }
    try {
      bulk.push({ x, externalId: x.m.externalId!, m: x.m, data: validateCanonical(entity, writableValues(binding, x.m.values), false), at: x.m.sourceTime ?? opts.now });
    } catch (err) {
      items.push({ externalId: x.m.externalId!, recordId: null, label: String(x.m.values[entity.displayField] ?? x.m.externalId), outcome: "failed", error: (err as Error).message, field: isSyncError(err) ? err.field : undefined });
    }
  }
  if (bulk.length) {
    const { created, raced } = await createRecords(tx, { config, entity: entity.key, system: opts.system, runId: opts.runId, docs: bulk });
    if (created.length) {
      const rows = created.map(({ doc, recordId }) => ({ record_id: recordId, entity: entity.key, system: opts.system, external_id: doc.externalId, fields: Object.keys(doc.data), run_id: opts.runId }));
      await runRows(tx, INSERT_CREATED_CHANGES, rows);
    }
    items.push(...created.map(({ doc, recordId }) => ({ externalId: doc.externalId, recordId, label: String(doc.m.values[entity.displayField] ?? ""), outcome: "created" as const })));
    // Made or linked meanwhile by a webhook or another run: applied onto that record.
    slow.push(...raced.map(({ doc }) => doc.x));
  }

  for (const x of slow) {
    const label = String(x.m.values[entity.displayField] ?? x.m.externalId);
    try {
      const apply = () => tx.transaction((sp) => applyChange(sp, config, { entity: entity.key, system: opts.system, kind: "update", externalId: x.m.externalId!, doc: x.doc, eventTime: null, runId: opts.runId }, opts.now));
      // Linked meanwhile (a create Concord sent there just finished): once more, it then finds the link.
      const r = await apply().catch((err: unknown) => (isSyncError(err) && err.code === "CONFLICT" && err.retryable ? apply() : Promise.reject(err)));
      items.push({ externalId: x.m.externalId!, recordId: r.recordId, label, outcome: r.outcome, error: r.detail && r.outcome === "ignored" ? r.detail : undefined });
    } catch (err) {
      items.push({ externalId: x.m.externalId!, recordId: null, label, outcome: "failed", error: isSyncError(err) ? err.message : String(err), field: isSyncError(err) ? err.field : undefined });
    }
  }
  return items;
}

/** Would merging these values change nothing at all (no apply, no conflict, nothing to put back)? */
function inAgreement(
  entity: Parameters<typeof mergeChange>[0]["entity"],
  binding: Parameters<typeof mergeChange>[0]["origin"],
  record: TRecordRow,
  link: TLinkRow,
  values: Record<string, unknown>,
  sourceTime: Date,
): boolean {
  const merge = mergeChange({ entity, origin: binding, record: { data: record.data, stamps: record.stamps, held: record.held }, lastAgreed: link.lastValues, incoming: values, sourceTime });
  if (Object.keys(merge.apply).length || merge.conflicts.length || merge.foreign.length || merge.stale.length) return false;
  return Object.entries(values).every(([k, v]) => (isIdKey(k) ? true : link.lastValues !== null && sameValue(link.lastValues[k], v) && sameValue(record.data[k] ?? null, v)));
}
