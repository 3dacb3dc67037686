import { and, asc, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { deliveries } from "~/server/db/schema";
import { wakeOnCommit } from "~/server/db/wake-on-commit";

export interface TReplayOutcome {
  /** Requested deliveries now waiting to run at once (pending, attempts 0). */
  pending: number[];
  /** Requested deliveries handed over to another delivery of the same (record, system): id → that one. */
  superseded: { id: number; by: number }[];
  /** Waiting deliveries that were not asked for but now run at once in place of a superseded one. */
  madeDue: number[];
  /** Not found, or not dead or retrying. */
  skipped: number[];
}

const CHUNK = 1000;
function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

type TLocked = { id: number; recordId: string; system: string; status: string };

/** Selects and locks (in id order, so concurrent replays cannot deadlock) the rows `where` picks per chunk of `keys`. */
async function lockRows<K>(tx: Db, keys: K[], where: (part: K[]) => SQL | undefined): Promise<TLocked[]> {
  const out: TLocked[] = [];
  for (const part of chunks(keys)) {
    const rows = await tx
      .select({ id: deliveries.id, recordId: deliveries.recordId, system: deliveries.system, status: deliveries.status })
      .from(deliveries)
      .where(where(part))
      .orderBy(asc(deliveries.id))
      .for("update");
    out.push(...rows.map((r) => ({ ...r, id: Number(r.id) })));
  }
  return out;
}

/**
 * Replays dead or retrying deliveries inside the caller's transaction: each goes back to pending, due now,
 * with its attempts reset. The unique index allows one waiting delivery per (record, system), so when one
 * is already waiting, the replayed one is superseded and the waiting one is made due now instead (it
 * sends the record's current state, which is all a replay would have sent). Of several dead deliveries of
 * one pair, the newest is replayed and the others are superseded by it.
 */
export async function replayRows(tx: Db, ids: number[]): Promise<TReplayOutcome> {
  const wanted = [...new Set(ids)];
  const candidates = await lockRows(tx, wanted, (part) => and(inArray(deliveries.id, part), inArray(deliveries.status, ["dead", "retrying"])));
  const found = new Set(candidates.map((c) => c.id));
  const pairKey = (r: { recordId: string; system: string }) => `${r.recordId}\u0000${r.system}`;
  const recordIds = [...new Set(candidates.map((c) => c.recordId))];
  const systems = [...new Set(candidates.map((c) => c.system))];
  const waitingRows = systems.length
    ? await lockRows(tx, recordIds, (part) => and(inArray(deliveries.recordId, part), inArray(deliveries.system, systems), inArray(deliveries.status, ["pending", "retrying"])))
    : [];
  const waiting = new Map(waitingRows.map((w) => [pairKey(w), w.id]));

  const byPair = new Map<string, TLocked[]>();
  for (const c of candidates) byPair.set(pairKey(c), [...(byPair.get(pairKey(c)) ?? []), c]);
  const out: TReplayOutcome = { pending: [], superseded: [], madeDue: [], skipped: wanted.filter((id) => !found.has(id)) };
  for (const [pair, rows] of byPair) {
    const waitingId = waiting.get(pair);
    const due = waitingId ?? Math.max(...rows.map((r) => r.id));
    for (const r of rows) {
      if (r.id === due) out.pending.push(r.id);
      else out.superseded.push({ id: r.id, by: due });
    }
    if (waitingId !== undefined && !rows.some((r) => r.id === waitingId)) out.madeDue.push(waitingId);
  }

  for (const part of chunks(out.superseded.map((s) => s.id))) {
    await tx.update(deliveries).set({ status: "superseded", updatedAt: sql`now()` }).where(and(inArray(deliveries.id, part), inArray(deliveries.status, ["dead"])));
  }
  for (const part of chunks([...out.pending, ...out.madeDue])) {
    await tx
      .update(deliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, leaseUntil: null, claimedBy: null, waitingFor: null, finishedAt: null, updatedAt: sql`now()` })
      .where(and(inArray(deliveries.id, part), inArray(deliveries.status, ["dead", "retrying", "pending"])));
  }
  if (out.pending.length || out.madeDue.length) wakeOnCommit(tx);
  return out;
}

/** A unique-index violation (23505), however the driver wraps it. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/**
 * Runs `fn` in a transaction, again when a concurrent enqueue took the (record, system) waiting slot
 * between our look and our update (the unique index refuses the second waiting delivery).
 */
export async function withReplayRetry<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (err) {
      if (attempt >= 3 || !isUniqueViolation(err)) throw err;
    }
  }
}
