import { and, eq, inArray } from "drizzle-orm";
import { mapIn } from "~/sync/mapping";
import { links } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { textOf, type TLinkScope } from "./resolve-scope";

export interface TUnlinkedDocument {
  externalId: string;
  name: string | null;
  naturalKey: string | null;
}

const PAGE_SIZE = 200;
const MAX_PAGES = 10_000;

/**
 * Streams a system's documents through its connector, a page at a time, and yields the ones whose id
 * no link holds (documents the binding's filters leave out are not synced, so not offered either).
 */
export async function* readUnlinkedDocuments(engine: Engine, scope: TLinkScope): AsyncGenerator<TUnlinkedDocument> {
  const { entity, binding } = scope;
  const conn = await getConnection(engine, binding.system);
  const connector = connectorFor(engine, conn);
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await connector.list(binding.resource, { cursor, limit: PAGE_SIZE });
    const mapped = result.items.map((doc) => mapIn(binding, entity, doc)).filter((m) => m.included && m.externalId !== null);
    const ids = mapped.map((m) => m.externalId!);
    const linked = ids.length
      ? await engine.db
          .select({ externalId: links.externalId })
          .from(links)
          .where(and(eq(links.system, binding.system), eq(links.entity, entity.key), inArray(links.externalId, ids)))
      : [];
    const taken = new Set(linked.map((l) => l.externalId));
    for (const m of mapped) {
      if (taken.has(m.externalId!)) continue;
      yield { externalId: m.externalId!, name: textOf(m.values[entity.displayField]), naturalKey: textOf(m.values[entity.naturalKey]) };
    }
    if (!result.next || result.next === cursor || result.items.length === 0) return;
    cursor = result.next;
  }
}

/** Every unlinked document of a system, sorted by name then id. */
export async function allUnlinkedDocuments(engine: Engine, scope: TLinkScope): Promise<TUnlinkedDocument[]> {
  const out: TUnlinkedDocument[] = [];
  for await (const doc of readUnlinkedDocuments(engine, scope)) out.push(doc);
  return out.sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.externalId.localeCompare(b.externalId));
}
