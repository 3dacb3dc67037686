import { EventEmitter } from "node:events";

export type TEngineEvent =
  /** `inbox`: a webhook event was stored, so workers look in the inbox now rather than at their next poll. */
  | { type: "wake"; inbox?: boolean }
  | { type: "delivery"; id: number; recordId: string; system: string; status: string; action: string | null; error?: string | null }
  | { type: "change"; recordId: string | null; system: string; outcome: string }
  | { type: "run"; id: string; status: string; phase: string | null; counts: Record<string, number>; percent: number | null; current?: string | null };

/**
 * In-process events: wakes the delivery workers the moment work is queued (no waiting for a tick)
 * and tells live subscribers what happened. A Postgres LISTEN/NOTIFY bridge carries them across processes.
 */
export class EngineBus {
  private emitter = new EventEmitter();
  private bridges: ((e: TEngineEvent) => void)[] = [];

  constructor() {
    this.emitter.setMaxListeners(1000);
  }

  emit(event: TEngineEvent, opts: { local?: boolean } = {}): void {
    this.emitter.emit("event", event);
    if (!opts.local) for (const b of this.bridges) b(event);
  }

  wake(opts: { inbox?: boolean } = {}): void {
    this.emit(opts.inbox ? { type: "wake", inbox: true } : { type: "wake" });
  }

  on(fn: (e: TEngineEvent) => void): () => void {
    this.emitter.on("event", fn);
    return () => this.emitter.off("event", fn);
  }

  /** Forward every event emitted here to another process (e.g. pg NOTIFY). */
  bridge(fn: (e: TEngineEvent) => void): void {
    this.bridges.push(fn);
  }
}
