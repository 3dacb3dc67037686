import { z } from "zod";
import type { driftChecks } from "~/server/db/schema";

export const ZDriftCheckId = z.uuid();

/** One drift check as pages show it. */
export const ZDriftCheckView = z.object({
  id: z.string(),
  entity: z.string(),
  /** running | done | failed */
  status: z.string(),
  /** Linked documents compared so far. */
  checked: z.number(),
  /** Of those, how many differ from Concord in at least one common field. */
  drifted: z.number(),
  error: z.string().nullable(),
  startedBy: z.string().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type TDriftCheckView = z.infer<typeof ZDriftCheckView>;

export const toDriftCheckView = (row: typeof driftChecks.$inferSelect): TDriftCheckView => ({
  id: row.id,
  entity: row.entity,
  status: row.status,
  checked: row.checked,
  drifted: row.drifted,
  error: row.error,
  startedBy: row.startedBy,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
});

/** One common field that differs between Concord and one system. */
export const ZDriftItemView = z.object({
  id: z.number(),
  system: z.string(),
  externalId: z.string(),
  field: z.string(),
  concordValue: z.unknown(),
  systemValue: z.unknown(),
  /** open | fixed */
  status: z.string(),
  fixedAt: z.date().nullable(),
  /** A write of this record to that system is waiting or in flight now. */
  deliveryWaiting: z.boolean(),
});

/** A drifted record with its differing fields, system by system. */
export const ZDriftRecordView = z.object({
  recordId: z.string(),
  name: z.string().nullable(),
  naturalKey: z.string().nullable(),
  /** The record was deleted since the check. */
  deleted: z.boolean(),
  items: z.array(ZDriftItemView),
});
export type TDriftRecordView = z.infer<typeof ZDriftRecordView>;

export const ZDriftReport = z.object({
  check: ZDriftCheckView,
  /** Records with a drift item matching the filter (all pages). */
  total: z.number(),
  /** Open items in the whole check: what "make them all agree" would fix. */
  openItems: z.number(),
  /** Records with open items in the whole check. */
  openRecords: z.number(),
  page: z.number(),
  pageSize: z.number(),
  records: z.array(ZDriftRecordView),
});
export type TDriftReport = z.infer<typeof ZDriftReport>;
