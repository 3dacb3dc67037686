import { z } from "zod";
import type { TLinkRow } from "~/server/db/schema";

/** A link as procedures show it (never its stored values). */
export const ZLinkView = z.object({
  id: z.string(),
  recordId: z.string(),
  entity: z.string(),
  system: z.string(),
  externalId: z.string(),
  origin: z.string(),
  lastSyncedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TLinkView = z.infer<typeof ZLinkView>;

export const toLinkView = (row: TLinkRow): TLinkView => ({
  id: row.id,
  recordId: row.recordId,
  entity: row.entity,
  system: row.system,
  externalId: row.externalId,
  origin: row.origin,
  lastSyncedAt: row.lastSyncedAt,
  createdAt: row.createdAt,
});

export const ZSystemKey = z.string().trim().min(1).max(100);
export const ZEntityKey = z.string().trim().min(1).max(100);

/** One record ↔ external id pair. */
export const ZLinkTarget = z.object({
  recordId: z.uuid(),
  system: ZSystemKey,
  externalId: z.string().trim().min(1).max(200),
});
export type TLinkTarget = z.infer<typeof ZLinkTarget>;
