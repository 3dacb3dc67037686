import { z } from "zod";

const ZCount = z.number().int();
export const ZRunCounts = z.object({ fetched: ZCount, created: ZCount, updated: ZCount, deleted: ZCount, unchanged: ZCount, echoes: ZCount, conflicts: ZCount, failed: ZCount, linked: ZCount });

export const ZRunView = z.object({
  id: z.string(),
  entity: z.string(),
  system: z.string(),
  kind: z.string(),
  trigger: z.string(),
  status: z.string(),
  phase: z.string().nullable(),
  counts: ZRunCounts,
  error: z.string().nullable(),
  /** Selective runs: what was asked for; incremental: the window read (see incremental-window.ts). */
  options: z.record(z.string(), z.unknown()).nullable().default(null),
  startedBy: z.string().nullable(),
  /** Runs started together (a fleet sync) share a group, shown on one page. */
  groupId: z.string().nullable().default(null),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  /** Every time a process took the run up: the first start, then each continuation, and by what. */
  continuations: z.array(z.object({ by: z.enum(["tick", "worker", "request"]), at: z.coerce.date() })).default([]),
  /** Until when the process working on it holds it; a running run with none (or past) waits for the next tick or worker. */
  leaseUntil: z.date().nullable().default(null),
  /** Where it has got to: pages committed, and the source's failures in a row with the last one's words. */
  position: z.object({ pages: z.number(), failures: z.number(), lastError: z.string().nullable() }).nullable().default(null),
});
export type TRunView = z.infer<typeof ZRunView>;
