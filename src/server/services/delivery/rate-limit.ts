import { runText } from "~/server/db";
import type { Engine } from "~/server/engine/context";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Pace at 80 % of the limit, so scheduling delays and network jitter never push a second at the receiver over it. */
const MARGIN = 1.25;
/** One reservation covers at most this much send time, and at most BLOCK_MAX slots. */
const BLOCK_MS = 50;
const BLOCK_MAX = 64;
/**
 * A reserved slot this far in the past is dropped, not used: using it late would bunch requests. Using one
 * up to LATE_MS late lets at most (1 s + LATE_MS) of slots into any second: 0.88 of the limit at 80 % pacing.
 */
const LATE_MS = 100;

interface TPacer {
  /** Local send times (`performance.now()`, immune to clock steps) this process reserved and has not used yet, in order. */
  slots: number[];
  refill: Promise<void> | null;
}

const pacers = new WeakMap<Engine, Map<string, TPacer>>();

function pacerFor(engine: Engine, system: string): TPacer {
  let perEngine = pacers.get(engine);
  if (!perEngine) pacers.set(engine, (perEngine = new Map()));
  let p = perEngine.get(system);
  if (!p) perEngine.set(system, (p = { slots: [], refill: null }));
  return p;
}

/**
 * Reserves `count` consecutive slots, one every `intervalUs`, in one atomic statement on the system's
 * `rate_pacing` row (a GCRA-style "next allowed time" shared by every process: `concord_reserve_rate_slots`,
 * drizzle/0012), and returns them as local times. The database clock decides; only the offset to the first slot
 * crosses to the local clock.
 */
async function reserve(engine: Engine, system: string, intervalUs: number, count: number): Promise<number[]> {
  const [row] = await runText<{ wait_ms: number | string | null }>(engine.db, "select concord_reserve_rate_slots($1::text, $2::float8) as wait_ms", [system, intervalUs * count]);
  const first = performance.now() + Math.max(0, Number(row?.wait_ms ?? 0));
  return Array.from({ length: count }, (_, i) => first + (i * intervalUs) / 1000);
}

/**
 * Waits for the next send slot of a system. Slots are one every 1/limit seconds (at 80 %), reserved in the
 * database, so every worker process together stays under the limit in any second, with no bursts at
 * second boundaries. From 50 requests/s up a process reserves a block of slots (up to 50 ms of send time)
 * per round trip and hands them out locally, so a fast target does not make every request a write.
 */
export async function acquireRequestSlot(engine: Engine, system: string, perSecond: number): Promise<void> {
  const intervalUs = Math.ceil((1_000_000 / Math.max(perSecond, 0.001)) * MARGIN);
  const count = Math.max(1, Math.min(BLOCK_MAX, Math.floor((BLOCK_MS * 1000) / intervalUs)));
  const p = pacerFor(engine, system);
  for (;;) {
    const now = performance.now();
    while (p.slots.length > 0 && p.slots[0]! < now - LATE_MS) p.slots.shift();
    const at = p.slots.shift();
    if (at !== undefined) {
      const wait = at - now;
      if (wait > 1) await sleep(wait + engine.random());
      return;
    }
    p.refill ??= reserve(engine, system, intervalUs, count)
      .then((slots) => void p.slots.push(...slots))
      .finally(() => (p.refill = null));
    await p.refill;
  }
}
