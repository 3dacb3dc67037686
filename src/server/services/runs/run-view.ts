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
});
export type TRunView = z.infer<typeof ZRunView>;
