import { and, eq, sql } from "drizzle-orm";
import type { TConnectorAttempt } from "~/sync/connectors";
import type { SyncError } from "~/sync/errors";
import type { TValues } from "~/sync/mapping";
import { referencesTo } from "~/sync/config";
import { idKeepers } from "~/sync/plan";
import { decideFailure, DEFAULT_RETRY_SCHEDULE, type TRetrySchedule } from "~/sync/retry";
import { retryTransient, type Db } from "~/server/db";
import { wakeOnCommit } from "~/server/db/wake-on-commit";
import { deliveries, deliveryAttempts, runs, shownOnceSecrets } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { resolveWaitingChildren } from "../ingest/prepare";
import type { TClaimed } from "./claim";
import { GroupWriter, writerFor } from "./group-writer";
import { lockLanding } from "./record-waiting";
import { attemptValues, writeSuccesses } from "./success-statement";

export interface TSuccess {
  action: string;
  externalId?: string;
  sent?: TValues;
  created?: boolean;
  deleted?: boolean;
  linkedBy?: string;
  detail?: string;
  /** A secret made for the created document (a temporary password): kept encrypted to show once. */
  secret?: { label: string; value: string };
  /** The target's version of the document after this write (its updated-at), when it reports one. */
  version?: Date | null;
  attempts: TConnectorAttempt[];
  started: number;
}

async function writeAttempts(tx: Db, deliveryId: number, attempts: TConnectorAttempt[], outcome: string, error: string | null): Promise<void> {
  if (attempts.length === 0) return;
  await tx.insert(deliveryAttempts).values(attemptValues(deliveryId, attempts, outcome, error));
}

type TPlainSuccess = { claimed: TClaimed; s: TSuccess; keepers: string[] };
const successWriters = new WeakMap<Engine, GroupWriter<TPlainSuccess, string | null>>();

/**
 * Many successes in one statement (one round trip, one commit). Returns, per success, the external id its link
 * holds now. (Exported for its test; callers use recordSuccess.)
 */
export async function recordManyInOneStatement(engine: Engine, items: TPlainSuccess[]): Promise<(string | null)[]> {
  return retryTransient(() => writeSuccesses(engine.db, items.map((item) => ({ ...item.s, claimed: item.claimed, keepers: item.keepers }))));
}

/** Marks a delivery done, stores the link and what the target now agrees on, and queues link-backs. */
export async function recordSuccess(engine: Engine, claimed: TClaimed, s: TSuccess): Promise<void> {
  const newLink = !!(s.externalId && (s.created || s.linkedBy));
  // Seed rules 3-5: systems that keep this system's id (the Dashboard's cms_id) are told it.
  const keepers = s.created || s.linkedBy ? idKeepers(engine.config, claimed.entity, claimed.system) : [];
  const isParent = referencesTo(engine.config, claimed.entity).length > 0;
  // A success meets the ingest of the same record (links, the id write-back's delivery) and can be a
  // deadlock's victim; it was sent, so it is stored again, never counted as a failed send.
  if (s.secret || (newLink && isParent)) {
    await retryTransient(() => recordNewLink(engine, claimed, s, keepers));
  } else {
    // One write at a time: successes that finish meanwhile go together in the next (their slots are already free).
    const writer = writerFor(successWriters, engine, () => new GroupWriter((items: TPlainSuccess[]) => recordManyInOneStatement(engine, items), 64, 1));
    const linked = await writer.add({ claimed, s, keepers });
    if (newLink && linked !== s.externalId) differentId(engine, claimed, linked, s.externalId);
  }
  engine.bus.emit({ type: "delivery", id: claimed.id, recordId: claimed.record_id, system: claimed.system, status: "succeeded", action: s.action });
}

function differentId(engine: Engine, claimed: TClaimed, linked: string | null, got: string | undefined): void {
  engine.log.error({ deliveryId: claimed.id, system: claimed.system, linked, got }, "target returned a different id than the link holds");
}

/**
 * A document created or found by natural key, for a parent entity or with a secret: the success as any other
 * (writeSuccesses), and in the same transaction the children waiting for it and the secret to show once.
 */
async function recordNewLink(engine: Engine, claimed: TClaimed, s: TSuccess, keepers: string[]): Promise<void> {
  await engine.db.transaction(async (tx) => {
    const lands = Boolean(s.externalId && (s.created || s.linkedBy));
    // First, before this transaction locks any row: a child waiting meanwhile sees this link, or is woken below.
    if (lands) await lockLanding(tx, { system: claimed.system, parentEntity: claimed.entity, as: "parent" });
    const [linked] = await writeSuccesses(tx, [{ ...s, claimed, keepers }]);
    if (lands && s.externalId) {
      if (linked !== s.externalId) differentId(engine, claimed, linked ?? null, s.externalId);
      // Children that arrived from this system before the link was stored hold `<system>:<id>`: upgrade them.
      await resolveWaitingChildren(tx, engine.config, { entity: claimed.entity, system: claimed.system, linked: [{ externalId: s.externalId, recordId: claimed.record_id }] });
      // Children waiting for a parent of this entity in this system go now (they re-check which parent).
      await tx
        .update(deliveries)
        .set({ nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(deliveries.system, claimed.system), sql`${deliveries.status} in ('pending', 'retrying', 'in_flight')`, sql`${deliveries.waitingFor} like ${`${claimed.entity}:%`}`));
      wakeOnCommit(tx);
    }
    if (s.secret) {
      const [run] = claimed.run_id ? await tx.select({ startedBy: runs.startedBy }).from(runs).where(eq(runs.id, claimed.run_id)) : [];
      await tx.insert(shownOnceSecrets).values({
        kind: "temporary-password",
        recordId: claimed.record_id,
        entity: claimed.entity,
        system: claimed.system,
        label: s.secret.label,
        runId: claimed.run_id,
        forUserId: run?.startedBy ?? null,
        box: engine.secrets.encrypt(s.secret.value),
      });
    }
  });
}

/**
 * A failed attempt: a 429 waits for Retry-After without counting as a failure; a retryable error is
 * tried again on the system's schedule (with jitter); a permanent one, or one past the schedule, is dead.
 */
export async function recordFailure(
  engine: Engine,
  claimed: TClaimed,
  f: { error: SyncError; attempts: TConnectorAttempt[]; started: number; schedule: TRetrySchedule | null },
): Promise<void> {
  const { error } = f;
  const message = `${error.message}${error.status ? ` (HTTP ${error.status})` : ""}`.slice(0, 1000);
  const { status, failures, delayMs: delay, outcome } = decideFailure({ error, attempts: claimed.attempts, schedule: f.schedule ?? DEFAULT_RETRY_SCHEDULE, random: engine.random });
  const attempts = f.attempts.length ? f.attempts : [{ method: "", url: "", status: null, durationMs: Date.now() - f.started, excerpt: "" }];
  await retryTransient(() => engine.db.transaction(async (tx) => {
    await writeAttempts(tx, claimed.id, attempts, outcome, message);
    const nextAttemptAt = delay === null ? sql`now()` : sql`now() + (${delay} * interval '1 millisecond')`;
    if (status === "retrying") {
      // A newer change queued a delivery for the same pair while this one was in flight: it carries on
      // with this one's failure count and backoff, and this one steps aside.
      const carried = await tx
        .update(deliveries)
        .set({ status: "retrying", attempts: failures, lastError: message, waitingFor: null, nextAttemptAt, updatedAt: sql`now()` })
        .where(and(eq(deliveries.recordId, claimed.record_id), eq(deliveries.system, claimed.system), sql`${deliveries.status} in ('pending', 'retrying')`))
        .returning({ id: deliveries.id });
      if (carried.length) {
        await tx
          .update(deliveries)
          .set({ status: "superseded", lastError: message, leaseUntil: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
          .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
        return;
      }
    }
    await tx
      .update(deliveries)
      .set({
        status,
        attempts: failures,
        lastError: message,
        waitingFor: null,
        leaseUntil: null,
        updatedAt: sql`now()`,
        nextAttemptAt,
        finishedAt: status === "dead" ? sql`now()` : null,
      })
      .where(and(eq(deliveries.id, claimed.id), eq(deliveries.status, "in_flight")));
  }));
  engine.bus.emit({ type: "delivery", id: claimed.id, recordId: claimed.record_id, system: claimed.system, status, action: null, error: message });
}
