// What one trial does, drawn from its seed: the sample systems' webhook faults, the write mix, and when
// which process is SIGKILLed. The same seed gives the same plan (the run itself still races real clocks).
import { seededRandom } from "../../demo/lib/webhook-faults";
import type { WebhookFaults } from "../../demo/server";

export type Target = "server" | `worker-${number}`;

export interface Kill {
  /** ms after the writes start */
  atMs: number;
  target: Target;
}

export interface TrialOptions {
  seed: number;
  durationMs: number;
  /** writes per second, all systems together */
  rate: number;
  kills: boolean;
  /** standalone `npm run worker` processes beside the server's in-process workers */
  workers: number;
  /** drop webhooks too (needs a catch-up run to recover them) */
  drops: boolean;
}

export interface TrialPlan extends TrialOptions {
  faults: { dashboard: WebhookFaults; cms: WebhookFaults };
  kills_: Kill[];
  /** share of writes that create a Dashboard industry; the rest edit one of the hot set */
  createShare: number;
  /** share of edits made in the CMS (the rest in the Dashboard) */
  cmsShare: number;
  /** how many recently created industries the edits aim at */
  hotSet: number;
}

export function makeRandom(seed: number): () => number {
  return seededRandom(seed * 2654435761);
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function faults(r: () => number, drops: boolean, seed: number): WebhookFaults {
  return {
    delayMs: pick(r, [0, 0, 50, 200, 500]),
    jitterMs: pick(r, [0, 100, 400, 1500]),
    reorder: pick(r, [0, 0.05, 0.2, 0.5]),
    drop: drops ? pick(r, [0, 0, 0.01, 0.03]) : 0,
    seed,
  };
}

export function planTrial(o: TrialOptions): TrialPlan {
  const r = makeRandom(o.seed);
  const plan: TrialPlan = {
    ...o,
    faults: { dashboard: faults(r, o.drops, o.seed * 10 + 1), cms: faults(r, o.drops, o.seed * 10 + 2) },
    kills_: [],
    createShare: 0.15 + r() * 0.1,
    cmsShare: 0.3 + r() * 0.3,
    hotSet: pick(r, [3, 5, 8, 12]),
  };
  if (o.kills) {
    const n = 2 + Math.floor(r() * 2);
    for (let i = 0; i < n; i++) {
      const target: Target = o.workers > 0 && r() < 0.4 ? `worker-${Math.floor(r() * o.workers)}` : "server";
      plan.kills_.push({ atMs: Math.round(o.durationMs * (0.1 + r() * 0.75)), target });
    }
    plan.kills_.sort((a, b) => a.atMs - b.atMs);
  }
  return plan;
}

export function describePlan(p: TrialPlan): string {
  const f = (w: WebhookFaults) => `delay ${w.delayMs}+${w.jitterMs} ms, reorder ${w.reorder}, drop ${w.drop}`;
  const kills = p.kills_.map((k) => `${k.target}@${(k.atMs / 1000).toFixed(1)}s`).join(", ") || "none";
  return `dashboard webhooks: ${f(p.faults.dashboard)}; cms webhooks: ${f(p.faults.cms)}; creates ${Math.round(p.createShare * 100)}%, cms edits ${Math.round(p.cmsShare * 100)}%, hot set ${p.hotSet}; kills: ${kills}`;
}
