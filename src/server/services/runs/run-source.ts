import type { TBinding } from "~/sync/config";
import type { Connector, TDoc } from "~/sync/connectors";
import type { TRunPosition, TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TConnection } from "../connections/get-connection";
import { openWindow, type TWindow } from "./incremental-window";
import type { TPageItem } from "./ingest-page";
import { resolveIds, selectionOf, type TSelection } from "./selection";

export interface TSourcePage {
  docs: TDoc[];
  /** Items asked for that could not be read (no such document, no link): reported as failed. */
  missing: TPageItem[];
  /** How many documents the whole read holds, when the system says (for a percentage). */
  total?: number;
  /** Where the read goes on after this page: committed with the page's effects. `listed`: nothing more to read. */
  next: TNext;
}

export type TNext = Pick<TRunPosition, "stage" | "cursor" | "offset">;
const LISTED: TNext = { stage: "listed", cursor: null, offset: 0 };

export interface TSource {
  pages: AsyncGenerator<TSourcePage>;
  /** Full and incremental runs: Concord's clock just before the first page was asked for — the next cursor. */
  cursorAt: string | null;
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

/**
 * Where a run's documents come from, by kind, from `at` — the position its last committed page left
 * (null: from the start). A continued run reads on from there with the same window and next cursor.
 */
export async function openSource(ctx: TSourceContext, position: TRunPosition | null): Promise<TSource> {
  const { run } = ctx;
  const at = position && position.pages > 0 ? position : null; // paused before its first page: from the start
  if (run.kind === "selective") return { pages: selectedPages(ctx, selectionOf(run), at), cursorAt: null, infersDeletes: false };
  if (run.kind === "validate") return { pages: listPages(ctx, null, null, at), cursorAt: null, infersDeletes: false };
  const startedAt = position?.cursorAt ?? ctx.engine.now().toISOString();
  if (run.kind === "incremental") {
    // No cursor yet: read everything once (no deletes inferred), then go incremental from this start.
    const kept = (run.options as { window?: TWindow } | null)?.window;
    const window = position && kept ? kept : await openWindow(ctx.engine.db, run, { overlapMs: ctx.overlapMs, now: new Date(startedAt) });
    const from = window.from ? new Date(window.from) : null;
    return { pages: listPages(ctx, from, from ? (t) => t === null || t > from : null, at), cursorAt: window.startedAt, infersDeletes: false };
  }
  return { pages: listPages(ctx, null, null, at), cursorAt: run.kind === "full" ? startedAt : null, infersDeletes: true };
}

async function* listPages(
  ctx: TSourceContext,
  updatedSince: Date | null,
  keep: ((t: Date | null) => boolean) | null,
  at: TRunPosition | null,
  stage: "list" | "range" = "list",
): AsyncGenerator<TSourcePage> {
  if (at?.stage === "listed") return;
  let cursor: string | null = at?.stage === stage ? at.cursor : null;
  do {
    if (await ctx.stop()) return;
    const page = await ctx.connector.list(ctx.binding.resource, { cursor, limit: ctx.pageSize, updatedSince });
    const next: TNext = page.next ? { stage, cursor: page.next, offset: 0 } : LISTED;
    yield { docs: keep ? page.items.filter((d) => keep(docTime(ctx.binding, d))) : page.items, missing: [], total: page.total, next };
    cursor = page.next;
  } while (cursor);
}

/** Given documents one by one (connector.get), then a date range (updatedSince, `until` filtered here). */
async function* selectedPages(ctx: TSourceContext, sel: TSelection, at: TRunPosition | null): AsyncGenerator<TSourcePage> {
  if (at?.stage === "listed") return;
  const ranged = !!(sel.since || sel.until);
  const afterIds: TNext = ranged ? { stage: "range", cursor: null, offset: 0 } : LISTED;
  const { ids, missing } = await resolveIds(ctx.engine.db, ctx.run, sel);
  if (!at && missing.length) yield { docs: [], missing, next: ids.length ? { stage: "ids", cursor: null, offset: 0 } : afterIds };
  for (let i = at?.stage === "ids" ? at.offset : at ? ids.length : 0; i < ids.length; i += ctx.pageSize) {
    if (await ctx.stop()) return;
    const page: TSourcePage = { docs: [], missing: [], next: i + ctx.pageSize < ids.length ? { stage: "ids", cursor: null, offset: i + ctx.pageSize } : afterIds };
    for (const id of ids.slice(i, i + ctx.pageSize)) {
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
  const from = at?.stage === "range" ? at : null;
  for await (const page of listPages(ctx, after, (t) => t !== null && (!since || t >= since) && (!until || t <= until), from, "range")) {
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
