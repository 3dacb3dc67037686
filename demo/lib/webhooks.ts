// Outgoing Standard Webhooks (https://www.standardwebhooks.com/) with retries.
// Messages are spread over a few sequential lanes by record key, so delivery is
// parallel across records but strictly ordered per record — unless the webhook faults (lib/webhook-faults.ts)
// delay, reorder or drop them.
import { createHmac, randomBytes } from "node:crypto";
import { sleep } from "./http";
import type { Doc } from "./store";
import { DEFAULT_WEBHOOK_FAULTS, seededRandom, type WebhookFaults, type WebhookLogEntry } from "./webhook-faults";

/** How many outcomes the log keeps (the oldest go first). */
const LOG_LIMIT = 200_000;

export const RETRY_DELAYS_MS: readonly number[] = [100, 500, 2000];

export function generateSecret(): string {
  return "whsec_" + randomBytes(24).toString("base64");
}

/** `v1,<base64 HMAC-SHA256("${id}.${timestamp}.${body}")>` keyed with the base64-decoded secret. */
export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  const mac = createHmac("sha256", key).update(`${msgId}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}

export interface WebhookStats {
  sent: number;
  failed: number;
  pending: number;
}

interface Job {
  url: string;
  msgId: string;
  body: string;
  gen: number;
  type: string;
  record: string;
  queuedAt: number;
  /** not before this time (ms since epoch): the delay fault */
  dueAt: number;
  reordered: boolean;
}

interface Lane {
  queue: Array<Job | undefined>;
  head: number;
  running: boolean;
}

export interface WebhookSenderOptions {
  lanes?: number;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  /** messages waiting beyond this are dropped (counted as failed) */
  maxPending?: number;
}

export class WebhookSender {
  private sent = 0;
  private failed = 0;
  private pending = 0;
  private gen = 0;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly lanes: Lane[];
  private waiters: Array<() => void> = [];
  private readonly retryDelays: readonly number[];
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private faults: WebhookFaults = { ...DEFAULT_WEBHOOK_FAULTS };
  private random = seededRandom(DEFAULT_WEBHOOK_FAULTS.seed);
  private log: WebhookLogEntry[] = [];

  constructor(
    private readonly secret: string,
    opts: WebhookSenderOptions = {},
  ) {
    this.lanes = Array.from({ length: opts.lanes ?? 8 }, () => ({ queue: [], head: 0, running: false }));
    this.retryDelays = opts.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxPending = opts.maxPending ?? 100_000;
  }

  /** Queues `{type, timestamp, data}` for `url`; `recordKey` decides the (ordered) lane. */
  enqueue(url: string, recordKey: string, type: string, data: Doc): void {
    if (this.closed) return;
    const now = Date.now();
    const body = JSON.stringify({ type, timestamp: new Date(now).toISOString(), data });
    const f = this.faults;
    const dueAt = now + f.delayMs + (f.jitterMs > 0 ? Math.floor(this.random() * (f.jitterMs + 1)) : 0);
    const reordered = f.reorder > 0 && this.random() < f.reorder;
    const job: Job = { url, msgId: "msg_" + randomBytes(16).toString("base64url"), body, gen: this.gen, type, record: recordKey, queuedAt: now, dueAt, reordered };
    if (this.pending >= this.maxPending) {
      this.failed++;
      this.record(job, "failed");
      return;
    }
    if (f.drop > 0 && this.random() < f.drop) {
      this.record(job, "dropped");
      return;
    }
    this.pending++;
    if (reordered) {
      void this.solo(job);
      return;
    }
    const lane = this.lanes[hash(recordKey) % this.lanes.length]!;
    lane.queue.push(job);
    if (!lane.running) void this.run(lane);
  }

  getFaults(): WebhookFaults {
    return { ...this.faults };
  }

  /** Applies to messages queued from now on; a new `seed` restarts the random sequence. */
  setFaults(faults: WebhookFaults): WebhookFaults {
    if (faults.seed !== this.faults.seed) this.random = seededRandom(faults.seed);
    this.faults = { ...faults };
    return this.getFaults();
  }

  /** What became of every message (most recent LOG_LIMIT), oldest first. */
  outcomes(): WebhookLogEntry[] {
    return [...this.log];
  }

  stats(): WebhookStats {
    return { sent: this.sent, failed: this.failed, pending: this.pending };
  }

  /** Drops queued messages (in-flight ones stop retrying) and zeroes the counters. */
  reset(): void {
    this.gen++;
    for (const lane of this.lanes) {
      this.pending -= lane.queue.length - lane.head;
      lane.queue = [];
      lane.head = 0;
    }
    this.sent = 0;
    this.failed = 0;
    this.log = [];
    this.faults = { ...DEFAULT_WEBHOOK_FAULTS };
    this.random = seededRandom(DEFAULT_WEBHOOK_FAULTS.seed);
    this.notifyIdle();
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.reset();
    this.abort.abort();
  }

  private async run(lane: Lane): Promise<void> {
    lane.running = true;
    try {
      while (lane.head < lane.queue.length) {
        const job = lane.queue[lane.head]!;
        lane.queue[lane.head] = undefined;
        lane.head++;
        if (lane.head > 1024 && lane.head * 2 > lane.queue.length) {
          lane.queue = lane.queue.slice(lane.head);
          lane.head = 0;
        }
        if (job.dueAt > Date.now()) await sleep(job.dueAt - Date.now(), this.abort.signal);
        await this.deliver(job);
        this.pending--;
        this.notifyIdle();
      }
    } finally {
      lane.running = false;
    }
  }

  /** A reordered message: waits for its own due time, outside any lane. */
  private async solo(job: Job): Promise<void> {
    await sleep(job.dueAt - Date.now(), this.abort.signal);
    await this.deliver(job);
    this.pending--; // like a lane's in-flight message, never subtracted by reset()
    this.notifyIdle();
  }

  private record(job: Job, outcome: WebhookLogEntry["outcome"]): void {
    if (job.gen !== this.gen) return;
    if (this.log.length >= LOG_LIMIT) this.log = this.log.slice(LOG_LIMIT / 10);
    this.log.push({ msgId: job.msgId, type: job.type, record: job.record, queuedAt: job.queuedAt, outcome, at: Date.now(), reordered: job.reordered });
  }

  private async deliver(job: Job): Promise<void> {
    const delays = [0, ...this.retryDelays];
    for (const delay of delays) {
      if (delay > 0) await sleep(delay, this.abort.signal);
      if (job.gen !== this.gen || this.closed) return this.record(job, "discarded");
      if (await this.attempt(job)) {
        if (job.gen === this.gen) this.sent++;
        return this.record(job, "acked");
      }
    }
    if (job.gen === this.gen) this.failed++;
    this.record(job, "failed");
  }

  private async attempt(job: Job): Promise<boolean> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(job.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "concord-sample-systems",
          "webhook-id": job.msgId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signWebhook(this.secret, job.msgId, timestamp, job.body),
        },
        body: job.body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok;
    } catch {
      return false;
    }
  }

  private notifyIdle(): void {
    if (this.pending !== 0 || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
