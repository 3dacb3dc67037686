import { and, eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Db } from "~/server/db";
import { runs, type TRunContinuation, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";

/** Who takes a run up: the cron tick, a long-lived process (`npm start`'s scheduler, `npm run worker`), or the request that started it. */
export type TContinuedBy = TRunContinuation["by"];

export interface TLease {
  runId: string;
  /** Unique per claim, so even two claims in one process never pass for each other. */
  owner: string;
  leaseMs: number;
}

/** The run is no longer this claim's: cancelled, or taken up by another process after the lease ran out. */
export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`run ${runId} is no longer held by this process`);
  }
}

const until = (ms: number) => sql`now() + (${ms}::float8 * interval '1 millisecond')`;
const heartbeat = sql`coalesce(${runs.options}, '{}'::jsonb) || jsonb_build_object('heartbeatAt', now())`;

/**
 * Takes a run up: a queued one, or a running one whose lease ran out (its process died, or stopped at its
 * budget and released it). One conditional UPDATE, so of concurrent claims exactly one wins. Each claim is
 * kept in `continuations` (the first is the start). Runs applying a dry run's plan are not continued.
 */
export async function claimRun(engine: Engine, runId: string, by: TContinuedBy): Promise<{ run: TRunRow; lease: TLease } | null> {
  const owner = `${engine.workerId}:${randomUUID().slice(0, 8)}`;
  const entry = sql`jsonb_build_array(jsonb_build_object('by', ${by}::text, 'at', now(), 'owner', ${owner}::text))`;
  const [run] = await engine.db
    .update(runs)
    .set({
      status: "running",
      phase: sql`coalesce(${runs.phase}, 'reading')`,
      startedAt: sql`coalesce(${runs.startedAt}, now())`,
      leaseOwner: owner,
      leaseUntil: until(engine.runLeaseMs),
      continuations: sql`${runs.continuations} || ${entry}`,
      options: heartbeat,
    })
    .where(
      and(
        eq(runs.id, runId),
        sql`(${runs.status} = 'queued' or (${runs.status} = 'running' and (${runs.leaseUntil} is null or ${runs.leaseUntil} < now())))`,
        sql`not coalesce(${runs.options} ? 'appliesPlanOf', false)`,
      ),
    )
    .returning();
  return run ? { run, lease: { runId, owner, leaseMs: engine.runLeaseMs } } : null;
}

/**
 * Runs `work` in one transaction that first checks — and locks — that the run is still this claim's and
 * still running, renewing its lease and heartbeat. A page's effects and the run's new position commit
 * together, or (the run was cancelled or taken up elsewhere) not at all: no page is applied twice.
 */
export async function inLease<T>(engine: Engine, lease: TLease, work: (tx: Db) => Promise<T>): Promise<T> {
  return engine.db.transaction(async (tx) => {
    const held = await tx
      .update(runs)
      .set({ leaseUntil: until(lease.leaseMs), options: heartbeat })
      .where(and(eq(runs.id, lease.runId), eq(runs.leaseOwner, lease.owner), eq(runs.status, "running")))
      .returning({ id: runs.id });
    if (held.length === 0) throw new LeaseLost(lease.runId);
    return work(tx);
  });
}

/** Lets the run go at a page boundary; `retryAt` keeps others off it until then (after a source failure). */
export async function releaseRun(engine: Engine, lease: TLease, retryAt: Date | null = null): Promise<void> {
  await engine.db
    .update(runs)
    .set({ leaseOwner: null, leaseUntil: retryAt })
    .where(and(eq(runs.id, lease.runId), eq(runs.leaseOwner, lease.owner)));
}

/** Renews the lease every third of it while the run works (a slow page keeps its claim); `lost` turns true when it is gone. */
export function keepLease(engine: Engine, lease: TLease): { lost: () => boolean; stop: () => void } {
  let lost = false;
  const timer = setInterval(() => {
    void engine.db
      .update(runs)
      .set({ leaseUntil: until(lease.leaseMs) })
      .where(and(eq(runs.id, lease.runId), eq(runs.leaseOwner, lease.owner), eq(runs.status, "running")))
      .returning({ id: runs.id })
      .then((rows) => void (lost ||= rows.length === 0))
      .catch((err: unknown) => engine.log.warn({ err, runId: lease.runId }, "could not renew the run's lease"));
  }, Math.max(200, Math.floor(lease.leaseMs / 3)));
  timer.unref();
  return { lost: () => lost, stop: () => clearInterval(timer) };
}
