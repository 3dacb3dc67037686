import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { links } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { clearStoredIds, dropLink } from "./drop-link";
import { releaseLinkConflicts } from "./merge-on-link";
import { toLinkView, ZLinkView, ZSystemKey } from "./link-view";

export const ZUnlinkInput = z.object({ recordId: z.uuid(), system: ZSystemKey });

export const ZUnlinkResult = z.object({
  /** The link that was removed. */
  link: ZLinkView,
  /** Waiting writes of the record to that system that were cancelled. */
  cancelledDeliveries: z.number(),
  /** Systems that stored the removed id for this record (the Dashboard's cms_id) and whether it was cleared. */
  clearedIds: z.array(z.object({ system: z.string(), ok: z.boolean(), error: z.string().nullable() })),
});
export type TUnlinkResult = z.infer<typeof ZUnlinkResult>;

/** Removes a record's link in a system. Nothing is deleted anywhere: the record and the document both stay. */
export async function unlinkRecord({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZUnlinkInput> }): Promise<TUnlinkResult> {
  const { recordId, system } = ZUnlinkInput.parse(input);
  const { link, cancelledDeliveries } = await engine.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(links)
      .where(and(eq(links.recordId, recordId), eq(links.system, system)))
      .for("update")
      .limit(1);
    if (!row) throw new SyncError("NOT_FOUND", `Record ${recordId} is not linked in ${system}.`, { field: "system" });
    await releaseLinkConflicts(tx, { recordId: row.recordId, system: row.system, detail: `unlinked by ${actor.label}` });
    const dropped = await dropLink(tx, { link: row, detail: `unlinked by hand by ${actor.label}` });
    const view = toLinkView(row);
    await writeAudit(tx, { actor, action: "links.unlink", target: `record:${recordId}`, before: { link: view }, after: { link: null } });
    return { link: view, cancelledDeliveries: dropped.cancelledDeliveries };
  });
  const clearedIds = await clearStoredIds(engine, { recordId, entity: link.entity, system, externalId: link.externalId });
  return { link, cancelledDeliveries, clearedIds };
}
