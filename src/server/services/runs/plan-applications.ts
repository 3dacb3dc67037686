import { and, desc, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/server/db";
import { runItems, runs } from "~/server/db/schema";
import { ZRunView } from "./run-view";

/** Outcomes that mean the apply run changed something for the item. */
const APPLIED = ["created", "applied", "deleted", "conflict", "foreign", "linked"];

export const ZPlanApplicationsInput = z.object({ runId: z.uuid() });
export const ZPlanApplications = z.object({
  /** The runs that applied (some of) this dry run's plan, newest first. */
  runs: z.array(ZRunView),
  /** External ids those runs applied. */
  applied: z.array(z.string()),
});

/** What has been applied of a dry run's plan so far, and by which runs. */
export async function planApplications({ db, input }: { db: Db; input: z.input<typeof ZPlanApplicationsInput> }) {
  const { runId } = ZPlanApplicationsInput.parse(input);
  const rows = await db.select().from(runs).where(sql`${runs.options}->>'appliesPlanOf' = ${runId}`).orderBy(desc(runs.createdAt)).limit(100);
  const ids = rows.map((r) => r.id);
  const applied = ids.length
    ? await db.selectDistinct({ externalId: runItems.externalId }).from(runItems).where(and(inArray(runItems.runId, ids), inArray(runItems.outcome, APPLIED)))
    : [];
  return { runs: rows.map((r) => ZRunView.parse(r)), applied: applied.flatMap((a) => (a.externalId ? [a.externalId] : [])) };
}
