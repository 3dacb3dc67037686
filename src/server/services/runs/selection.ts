import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { links, type TRunRow } from "~/server/db/schema";
import type { TPageItem } from "./ingest-page";
import { isLive } from "../linking/tombstone";

/** What a selective run reads: given documents (by the system's id or by Concord record), and/or a date range. */
export const ZSelection = z.object({
  externalIds: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional(),
  recordIds: z.array(z.uuid()).min(1).max(1000).optional(),
  /** The system's updated-at, inclusive bounds. */
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
});
export type TSelection = z.infer<typeof ZSelection>;

export const hasSelection = (s: TSelection) => !!(s.externalIds?.length || s.recordIds?.length || s.since || s.until);

/** The selection kept in `runs.options` (dates as ISO strings there). */
export function selectionOf(run: TRunRow): TSelection {
  return ZSelection.parse(run.options ?? {});
}

/** External ids to fetch: those given, plus the links of the given records; a record with no link is reported. */
export async function resolveIds(db: Db, run: TRunRow, sel: TSelection): Promise<{ ids: string[]; missing: TPageItem[] }> {
  const ids = new Set(sel.externalIds ?? []);
  const missing: TPageItem[] = [];
  if (sel.recordIds?.length) {
    const rows = await db
      .select({ recordId: links.recordId, externalId: links.externalId, lastValues: links.lastValues })
      .from(links)
      .where(and(eq(links.system, run.system), eq(links.entity, run.entity), inArray(links.recordId, sel.recordIds)));
    const live = new Map(rows.filter(isLive).map((r) => [r.recordId, r.externalId]));
    for (const recordId of sel.recordIds) {
      const externalId = live.get(recordId);
      if (externalId) ids.add(externalId);
      else missing.push({ externalId: null, recordId, label: recordId, outcome: "failed", error: `This record has no link to ${run.system}: nothing to read there.` });
    }
  }
  return { ids: [...ids], missing };
}
