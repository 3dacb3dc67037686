import { z } from "zod";

/** The kinds of thing that happen to a record, as the record page's timeline shows them. */
const date = z.coerce.date();
const text = z.string().nullable();

export const ZTimelineAttempt = z.object({
  id: z.number(),
  at: z.date(),
  method: text,
  statusCode: z.number().nullable(),
  outcome: z.string(),
  error: text,
  durationMs: z.number(),
});

export const ZTimelineChange = z.object({
  id: z.coerce.number(),
  system: z.string(),
  kind: z.string(),
  /** applied, echo, created, deleted, restored, linked, conflict… */
  outcome: z.string(),
  fields: z.array(z.string()),
  detail: text,
  externalId: text,
  runId: text,
  webhookEventId: z.number().nullable(),
  sourceTime: date.nullable(),
});

export const ZTimelineDelivery = z.object({
  id: z.coerce.number(),
  system: z.string(),
  status: z.string(),
  action: text,
  fields: z.array(z.string()),
  attempts: z.number(),
  lastError: text,
  waitingFor: text,
  /** While blocked by a parent that cannot come as things stand: the reason and the parent by name. */
  blocked: z
    .object({
      reason: z.enum(["invalid", "not-approved", "missing", "dead"]),
      parent: z.object({ entity: z.string(), name: z.string(), recordId: z.string().nullable(), system: z.string().nullable(), externalId: z.string().nullable() }),
    })
    .nullable()
    .default(null),
  finishedAt: date.nullable(),
  runId: text,
});

export const ZTimelineConflict = z.object({
  id: z.string(),
  field: z.string(),
  theirsSystem: z.string(),
  oursSystem: text,
  theirs: z.unknown(),
  ours: z.unknown(),
  reason: z.string(),
  status: z.string(),
  resolution: text,
  resolvedBy: text,
});

export const ZTimelineLink = z.object({ system: z.string(), externalId: z.string(), origin: z.string() });

export const ZTimelineAdmin = z.object({ id: z.coerce.number(), action: z.string(), actor: z.string(), before: z.unknown(), after: z.unknown() });

/** One entry: `at` orders it (newest first), `key` says where the next page starts after it. */
export const ZTimelineEntry = z.discriminatedUnion("type", [
  z.object({ type: z.literal("change"), at: z.date(), key: z.string(), change: ZTimelineChange }),
  z.object({ type: z.literal("delivery"), at: z.date(), key: z.string(), delivery: ZTimelineDelivery.extend({ requests: z.array(ZTimelineAttempt), moreRequests: z.number() }) }),
  z.object({ type: z.literal("conflict-opened"), at: z.date(), key: z.string(), conflict: ZTimelineConflict }),
  z.object({ type: z.literal("conflict-resolved"), at: z.date(), key: z.string(), conflict: ZTimelineConflict }),
  z.object({ type: z.literal("link"), at: z.date(), key: z.string(), link: ZTimelineLink }),
  z.object({ type: z.literal("admin"), at: z.date(), key: z.string(), audit: ZTimelineAdmin }),
]);
export type TTimelineEntry = z.infer<typeof ZTimelineEntry>;
