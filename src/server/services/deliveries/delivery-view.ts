import { z } from "zod";
import { isRecordId } from "~/sync/identifiers";
import type { TDeliveryRow } from "~/server/db/schema";
import { ZDeliveryStatus, type TDeliveryStatus } from "../systems/system-view";

export { ZDeliveryStatus, type TDeliveryStatus } from "../systems/system-view";

export const ZDeliveryId = z.number().int().positive();

export const ZDeliveryView = z.object({
  id: z.number(),
  recordId: z.string(),
  /** The record's natural key (slug, IMO number, email…), when the list joined it; null for a record no longer there. */
  recordKey: z.string().nullable().default(null),
  entity: z.string(),
  system: z.string(),
  status: ZDeliveryStatus,
  /** create, update, delete, archive, noop — once known. */
  action: z.string().nullable(),
  fields: z.array(z.string()),
  /** Failed attempts counted against the retry schedule (a 429 does not count; a replay resets it). */
  attempts: z.number(),
  /** HTTP requests recorded for this delivery, all outcomes. */
  attemptCount: z.number(),
  lastError: z.string().nullable(),
  waitingFor: z.string().nullable(),
  /** What it waits for, readable: the parent's entity and, once in Concord, its record. */
  waitingOn: z.object({ entity: z.string(), recordId: z.string().nullable() }).nullable().default(null),
  /** Set while it is blocked by a parent that cannot come as things stand, naming it (see lastError for the reason in words). */
  blocked: z
    .object({
      reason: z.enum(["invalid", "not-approved", "missing", "dead"]),
      parent: z.object({ entity: z.string(), name: z.string(), recordId: z.string().nullable(), system: z.string().nullable(), externalId: z.string().nullable() }),
    })
    .nullable()
    .default(null),
  nextAttemptAt: z.date(),
  runId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type TDeliveryView = z.infer<typeof ZDeliveryView>;

export const ZDeliveryAttemptView = z.object({
  id: z.number(),
  at: z.date(),
  method: z.string().nullable(),
  url: z.string().nullable(),
  statusCode: z.number().nullable(),
  /** success | retry | rate_limited | dead */
  outcome: z.string(),
  /** The target's own words (credential scrubbed by the connector), at most 500 characters. */
  excerpt: z.string().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
export type TDeliveryAttemptView = z.infer<typeof ZDeliveryAttemptView>;

/** `vessel:<record id>` → that record; `vessel:onboarding:<id>` → a vessel not in Concord yet. */
export function waitingOn(key: string | null): { entity: string; recordId: string | null } | null {
  if (!key) return null;
  const at = key.indexOf(":");
  if (at <= 0) return null;
  const ref = key.slice(at + 1);
  return { entity: key.slice(0, at), recordId: isRecordId(ref) ? ref : null };
}

export function toDeliveryView(row: TDeliveryRow, attemptCount: number, recordKey: string | null = null): TDeliveryView {
  return {
    id: Number(row.id),
    recordId: row.recordId,
    recordKey,
    entity: row.entity,
    system: row.system,
    status: row.status as TDeliveryStatus,
    action: row.action,
    fields: row.fields,
    attempts: row.attempts,
    attemptCount,
    lastError: row.lastError,
    waitingFor: row.waitingFor,
    waitingOn: waitingOn(row.waitingFor),
    blocked: row.status === "pending" && row.waitingFor && row.blocked ? row.blocked : null,
    nextAttemptAt: row.nextAttemptAt,
    runId: row.runId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}
