import { and, eq, inArray } from "drizzle-orm";
import { bindingFor, type TSyncConfig } from "~/sync/config";
import { writableValues } from "~/sync/mapping";
import type { TDoc } from "~/sync/connectors";
import { isSyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { links } from "~/server/db/schema";
import { validateCanonical } from "../ingest/apply-change";
import { prepareDocs } from "../ingest/prepare";
import type { TPageItem } from "./ingest-page";

/**
 * A validation-only run's page: every document the binding lets through is checked against the entity's
 * canonical schema (a linked one only for the fields it carries); nothing is written. Each problem is an
 * `invalid` item naming the field; a valid document counts as unchanged.
 */
export async function validatePage(db: Db, opts: { config: TSyncConfig; entity: string; system: string; docs: TDoc[] }): Promise<TPageItem[]> {
  const entity = opts.config.entities[opts.entity]!;
  const binding = bindingFor(opts.config, opts.entity, opts.system)!;
  const prepared = (await prepareDocs(db, { binding, entity, docs: opts.docs })).map((x) => x.m).filter((m) => m.externalId !== null && m.included);
  const ids = prepared.map((m) => m.externalId!);
  const linked = ids.length
    ? new Map(
        (await db.select({ externalId: links.externalId, recordId: links.recordId }).from(links).where(and(eq(links.system, opts.system), eq(links.entity, opts.entity), inArray(links.externalId, ids)))).map(
          (l) => [l.externalId, l.recordId],
        ),
      )
    : new Map<string, string>();
  return prepared.map((m): TPageItem => {
    const recordId = linked.get(m.externalId!) ?? null;
    const label = String(m.values[entity.displayField] ?? m.externalId);
    try {
      validateCanonical(entity, writableValues(binding, m.values), recordId !== null);
      return { externalId: m.externalId, recordId, label, outcome: "unchanged" };
    } catch (err) {
      return { externalId: m.externalId, recordId, label, outcome: "invalid", error: isSyncError(err) ? err.message : String(err), field: isSyncError(err) ? err.field : undefined };
    }
  });
}
