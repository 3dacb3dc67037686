import type { TBinding } from "~/sync/config";
import type { Connector, TDoc } from "~/sync/connectors";
import type { TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TConnection } from "../connections/get-connection";
import { acquireRequestSlot } from "../delivery/rate-limit";
import { openWindow } from "./incremental-window";
import type { TPageItem } from "./ingest-page";
import { resolveIds, selectionOf, type TSelection } from "./selection";

export interface TSourcePage {
  docs: TDoc[];
  /** Items asked for that could not be read (no such document, no link): reported as failed. */
  missing: TPageItem[];
  /** How many documents the whole read holds, when the system says (for a percentage). */
  total?: number;
}

export interface TSource {
  pages: AsyncGenerator<TSourcePage>;
  /** Full and incremental runs: Concord's clock just before the first page was asked for — the next cursor. */
  cursorAt: Date | null;
  /** Only a listing of everything (full and dry runs) may treat linked records it did not see as deleted. */
  infersDeletes: boolean;
}

export interface TSourceContext {
  engine: Engine;
  run: TRunRow;
  binding: TBinding;
  conn: TConnection;
  connector: Connector;
  pageSize: number;
  overlapMs: number;
  /** Checked before every request: a cancelled run stops asking. */
  stop: () => Promise<boolean>;
}

/** Where a run's documents come from, by kind. */
export async function openSource(ctx: TSourceContext): Promise<TSource> {
  const { run } = ctx;
  if (run.kind === "selective") return { pages: selectedPages(ctx, selectionOf(run)), cursorAt: null, infersDeletes: false };
  if (run.kind === "validate") return { pages: listPages(ctx, null, null), cursorAt: null, infersDeletes: false };
  const startedAt = ctx.engine.now();
  if (run.kind === "incremental") {
    // No cursor yet: read everything once (no deletes inferred), then go incremental from this start.
    const window = await openWindow(ctx.engine.db, run, { overlapMs: ctx.overlapMs, now: startedAt });
    const from = window.from ? new Date(window.from) : null;
    return { pages: listPages(ctx, from, from ? (t) => t === null || t > from : null), cursorAt: startedAt, infersDeletes: false };
  }
  return { pages: listPages(ctx, null, null), cursorAt: run.kind === "full" ? startedAt : null, infersDeletes: true };
}

async function* listPages(ctx: TSourceContext, updatedSince: Date | null, keep: ((t: Date | null) => boolean) | null): AsyncGenerator<TSourcePage> {
  let cursor: string | null = null;
  do {
    if (await ctx.stop()) return;
    await acquireRequestSlot(ctx.engine, ctx.run.system, ctx.conn.rateLimitPerSecond);
    const page = await ctx.connector.list(ctx.binding.resource, { cursor, limit: ctx.pageSize, updatedSince });
    yield { docs: keep ? page.items.filter((d) => keep(docTime(ctx.binding, d))) : page.items, missing: [], total: page.total };
    cursor = page.next;
  } while (cursor);
}

/** Given documents one by one (connector.get), then a date range (updatedSince, `until` filtered here). */
async function* selectedPages(ctx: TSourceContext, sel: TSelection): AsyncGenerator<TSourcePage> {
  const { ids, missing } = await resolveIds(ctx.engine.db, ctx.run, sel);
  if (missing.length) yield { docs: [], missing };
  for (let i = 0; i < ids.length; i += ctx.pageSize) {
    if (await ctx.stop()) return;
    const page: TSourcePage = { docs: [], missing: [] };
    for (const id of ids.slice(i, i + ctx.pageSize)) {
      await acquireRequestSlot(ctx.engine, ctx.run.system, ctx.conn.rateLimitPerSecond);
      const doc = await ctx.connector.get(ctx.binding.resource, id);
      if (doc) page.docs.push(doc);
      else page.missing.push({ externalId: id, recordId: null, label: id, outcome: "failed", error: `${ctx.conn.def.name} has no document with id ${id}.` });
    }
    yield page;
  }
  if (!sel.since && !sel.until) return;
  const taken = new Set(ids);
  const { since, until } = sel;
  // The systems filter updated-since strictly: ask from 1 ms earlier so `since` itself is included.
  const after = since ? new Date(since.getTime() - 1) : null;
  for await (const page of listPages(ctx, after, (t) => t !== null && (!since || t >= since) && (!until || t <= until))) {
    yield { ...page, docs: page.docs.filter((d) => !taken.has(String(d[ctx.binding.idField]))) };
  }
}

/** A document's updated-at (the binding's field, dotted paths allowed), or null. */
export function docTime(binding: TBinding, doc: TDoc): Date | null {
  if (!binding.updatedAtField) return null;
  const raw = binding.updatedAtField.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as TDoc)[k] : undefined), doc);
  if (typeof raw !== "string" && typeof raw !== "number") return null;
  const t = new Date(raw);
  return Number.isNaN(t.getTime()) ? null : t;
}
