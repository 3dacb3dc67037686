import { claimWithStates, extendLeases, nextDueAt, reapExpiredLeases, type TClaimed, type TDeliveryState } from "~/server/services/delivery/claim";
import { deliverOne } from "~/server/services/delivery/deliver-one";
import { findBatchByNaturalKey, type TFoundByKey } from "~/server/services/delivery/find-batch";
import { nextHeldBackInMs } from "~/server/services/webhooks/claim-webhook-events";
import { processWebhookEvents } from "~/server/services/webhooks/process-webhook-events";
import type { Engine } from "./context";

/** The inbox is read at least this often even when no wake-up says an event was stored (a failed event retries). */
const INBOX_POLL_MS = 1_000;

/** A drain that finds nothing to do waits this long at most for an event handed back to become claimable. */
const HELD_BACK_WAIT_MS = 2_000;

/**
 * How long a claim (a delivery, a webhook event) outlives a silent worker. Claims are renewed every third of it
 * while held, so it bounds only how soon a dead worker's work comes back, not how long a send may take.
 */
export const DEFAULT_LEASE_MS = 15_000;

export interface WorkerOptions {
  /** Deliveries sent at the same time by this worker. */
  concurrency: number;
  /** A claimed delivery or webhook event comes back if its worker is silent this long (default DEFAULT_LEASE_MS). */
  leaseMs?: number;
  /** Longest sleep when idle (a wake-up from the bus ends it sooner). */
  idleMs?: number;
}

/**
 * Drains the webhook inbox and the delivery queue. Any number of workers, in one process or many,
 * share the queue safely: claims lock with SKIP LOCKED and carry a lease.
 */
export class Worker {
  private running = false;
  private inFlight = new Set<Promise<void>>();
  /** Deliveries whose requests are not done yet (the rest of inFlight is recording an outcome). */
  private sending = 0;
  private signal: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> | null = null;
  private lastReap = 0;
  private lastInboxPoll = 0;
  private inboxDue = true;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  /** Deliveries this worker is sending: their leases are renewed together while any is held. */
  private readonly held = new Set<number>();
  private beat: NodeJS.Timeout | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly opts: WorkerOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.idleMs = opts.idleMs ?? 1_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const off = this.engine.bus.on((e) => {
      if (e.type !== "wake") return;
      if (e.inbox) this.inboxDue = true;
      this.poke();
    });
    this.loopDone = this.loop().finally(off);
  }

  /** Stops claiming, and waits for the deliveries in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loopDone;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Works until nothing is due or the budget is spent (the cron route and tests use this). */
  async drain(opts: { budgetMs: number }): Promise<number> {
    const deadline = Date.now() + opts.budgetMs;
    let total = 0;
    while (Date.now() < deadline) {
      this.inboxDue = true; // a drain (cron, tests) is not subscribed to wake-ups: it always looks
      const n = await this.step(deadline);
      if (n === 0 && this.inFlight.size === 0) {
        // An event handed back a moment ago (an older one of its document was being applied elsewhere) is
        // claimable within a second or two: wait for it if the budget allows, not for the next trigger.
        const heldBack = await nextHeldBackInMs(this.engine, HELD_BACK_WAIT_MS);
        if (heldBack === null || Date.now() + heldBack >= deadline) break;
        await new Promise((r) => setTimeout(r, heldBack + 10));
        continue;
      }
      total += n;
      if (n === 0) await Promise.race([...this.inFlight]);
    }
    await Promise.allSettled([...this.inFlight]);
    return total;
  }

  private poke(): void {
    const s = this.signal;
    this.signal = null;
    if (s) s();
    else this.woken = true; // not asleep yet: the next sleep returns at once
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let n = 0;
      this.woken = false; // pokes from here on are seen by the sleep below
      try {
        n = await this.step(Infinity);
      } catch (err) {
        this.engine.log.error({ err }, "worker step failed");
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (!this.running) break;
      if (n === 0) await this.sleep();
    }
  }

  private async sleep(): Promise<void> {
    // Deliveries in flight will wake us when they finish; otherwise sleep until the next one is due.
    const due = this.inFlight.size > 0 ? null : await nextDueAt(this.engine).catch(() => null);
    const untilDue = due ? Math.max(10, due.getTime() - Date.now()) : this.idleMs;
    if (this.woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(untilDue, this.idleMs));
      this.signal = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Sends one delivery (held by `step` from its claim: in flight, lease renewed, until its outcome is recorded). Its
   * slot is free for the next claim once its requests are done (`onSent`); the outcome is then recorded behind it.
   */
  private async send(c: TClaimed, state: TDeliveryState | null, found: TFoundByKey | undefined): Promise<void> {
    let counted = true;
    const sent = () => {
      if (!counted) return;
      counted = false;
      this.sending--;
      this.poke();
    };
    try {
      await deliverOne(this.engine, c, { state, found, onSent: sent });
    } finally {
      sent();
    }
  }

  private hold(id: number): void {
    this.held.add(id);
    this.beat ??= setInterval(() => {
      extendLeases(this.engine, [...this.held], this.leaseMs).catch((err: unknown) => this.engine.log.warn({ err: String(err) }, "could not renew delivery leases"));
    }, Math.max(200, Math.floor(this.leaseMs / 3)));
  }

  private release(id: number): void {
    this.held.delete(id);
    if (this.held.size === 0 && this.beat) {
      clearInterval(this.beat);
      this.beat = null;
    }
  }

  /** One pass: apply stored webhook events, then claim what fits in the free slots and send it. */
  private async step(deadline: number): Promise<number> {
    // Expired claims go back to the queue at most half a lease late (and at least every 5 s).
    if (Date.now() - this.lastReap > Math.min(5_000, this.leaseMs / 2)) {
      this.lastReap = Date.now();
      await reapExpiredLeases(this.engine);
    }
    // Not after every finished delivery: only when told an event was stored, or once a second.
    let events = 0;
    if (this.inboxDue || Date.now() - this.lastInboxPoll >= INBOX_POLL_MS) {
      this.inboxDue = false;
      this.lastInboxPoll = Date.now();
      events = await processWebhookEvents(this.engine, { limit: 100, leaseMs: this.leaseMs });
      if (events === 100) this.inboxDue = true; // more may wait
    }
    // Slots: deliveries still sending; at most as many again may be recording their outcome.
    const free = Math.min(this.opts.concurrency - this.sending, 2 * this.opts.concurrency - this.inFlight.size);
    // Claim in batches (when half the slots are free), not once per finished delivery: a claim scans the queue.
    const worthClaiming = this.inFlight.size === 0 || free >= Math.max(1, Math.floor(this.opts.concurrency / 2));
    if (!worthClaiming || Date.now() >= deadline) return events;
    // The batch's records and links come with the claim, read after it: each is at least as new as its delivery.
    const { claimed, states } = await claimWithStates(this.engine, { limit: free, leaseMs: this.leaseMs });
    // Held (leases renewed) from here: the lookup may wait for a slow target. The creates of the batch are looked up by
    // natural key in one request per target where its dialect can; the step does not wait for it (the next claim may go).
    for (const c of claimed) this.hold(c.id);
    this.sending += claimed.length;
    const found: Promise<Map<number, TFoundByKey>> = claimed.length ? findBatchByNaturalKey(this.engine, claimed, states).catch(() => new Map()) : Promise.resolve(new Map());
    for (const c of claimed) {
      const p: Promise<void> = found
        .then((f) => this.send(c, states.get(c.record_id) ?? null, f.get(c.id)))
        .catch((err) => this.engine.log.error({ err, deliveryId: c.id }, "delivery crashed"))
        .finally(() => {
          this.release(c.id);
          this.inFlight.delete(p);
          this.poke();
        });
      this.inFlight.add(p);
    }
    return events + claimed.length;
  }
}
