import { and, eq, inArray, isNull } from "drizzle-orm";
import { bindingFor, type TSyncConfig } from "~/sync/config";
import type { TDoc } from "~/sync/connectors";
import { isIdKey } from "~/sync/mapping";
import { mergeChange } from "~/sync/merge";
import { planTargets } from "~/sync/plan";
import type { Db } from "~/server/db";
import { links, records } from "~/server/db/schema";
import { prepareDocs } from "../ingest/prepare";

export interface TPlanEntry {
  externalId: string;
  recordId: string | null;
  label: string;
  action: "create" | "update" | "link" | "delete" | "conflict";
  /** field → before → after (before null for a create) */
  fields: Record<string, { before: unknown; after: unknown }>;
  targets: string[];
}

/** A dry run of one page: what a full run would change, per record and field, without writing anything. */
export async function planPage(db: Db, opts: { config: TSyncConfig; entity: string; system: string; docs: TDoc[]; now: Date }): Promise<TPlanEntry[]> {
  const entity = opts.config.entities[opts.entity]!;
  const binding = bindingFor(opts.config, opts.entity, opts.system)!;
  const mapped = (await prepareDocs(db, { binding, entity, docs: opts.docs })).map((x) => x.m).filter((m) => m.externalId !== null && m.included);
  const ids = mapped.map((m) => m.externalId!);
  const linkRows = ids.length ? await db.select().from(links).where(and(eq(links.system, opts.system), eq(links.entity, opts.entity), inArray(links.externalId, ids))) : [];
  const keys = mapped.map((m) => m.values[entity.naturalKey]).filter((k): k is string => typeof k === "string");
  const byKey = keys.length
    ? await db.select().from(records).where(and(eq(records.entity, entity.key), inArray(records.naturalKey, keys), isNull(records.deletedAt)))
    : [];
  const linked = linkRows.length ? await db.select().from(records).where(inArray(records.id, linkRows.map((l) => l.recordId))) : [];
  const recordById = new Map([...byKey, ...linked].map((r) => [r.id, r]));
  const linkByExt = new Map(linkRows.map((l) => [l.externalId, l]));
  const recordByKey = new Map(byKey.map((r) => [r.naturalKey, r]));

  const plan: TPlanEntry[] = [];
  for (const m of mapped) {
    const link = linkByExt.get(m.externalId!);
    const record = link ? recordById.get(link.recordId) : recordByKey.get(String(m.values[entity.naturalKey]));
    const label = String(m.values[entity.displayField] ?? m.externalId);
    const canonical = Object.fromEntries(Object.entries(m.values).filter(([k]) => !isIdKey(k)));
    if (!record) {
      const fields = Object.fromEntries(Object.entries(canonical).map(([k, v]) => [k, { before: null, after: v }]));
      plan.push({ externalId: m.externalId!, recordId: null, label, action: "create", fields, targets: planTargets({ config: opts.config, entity: entity.key, origin: opts.system, changedKeys: [], created: true }) });
      continue;
    }
    if (record.deletedAt) continue;
    const merge = mergeChange({ entity, origin: binding, record: { data: record.data, stamps: record.stamps, held: record.held }, lastAgreed: link?.lastValues ?? null, incoming: m.values, sourceTime: m.sourceTime ?? opts.now });
    const fields = Object.fromEntries(Object.entries(merge.apply).map(([k, v]) => [k, { before: record.data[k] ?? null, after: v }]));
    const action = !link ? "link" : merge.conflicts.some((c) => c.resolution === "held") ? "conflict" : "update";
    if (!link || Object.keys(fields).length || action === "conflict") {
      plan.push({ externalId: m.externalId!, recordId: record.id, label, action, fields, targets: planTargets({ config: opts.config, entity: entity.key, origin: opts.system, changedKeys: Object.keys(fields) }) });
    }
  }
  return plan;
}
