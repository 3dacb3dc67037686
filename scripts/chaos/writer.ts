// The load: creates and edits with unique values, in the Dashboard and in the CMS, at a steady rate, over
// the systems' own APIs. Every write is recorded with what the system acknowledged (its updatedAt).
import type { TrialPlan } from "./plan";
import { makeRandom } from "./plan";

export type Field = "name" | "description" | "active";
export const FIELDS: readonly Field[] = ["name", "description", "active"];

export interface Write {
  seq: number;
  system: "dashboard" | "cms";
  op: "create" | "edit";
  slug: string;
  /** the id in the system written to */
  id: string | null;
  /** canonical field → value */
  values: Partial<Record<Field, string | boolean>>;
  sentAt: number;
  doneAt: number;
  /** the system's updatedAt of the write, ms; null when not acknowledged */
  ackAt: number | null;
  /** ok: 2xx; failed: an error answer (nothing applied); unknown: no answer (it may have been applied) */
  status: "ok" | "failed" | "unknown";
  error?: string;
}

interface Target {
  slug: string;
  dashboardId: string;
}

const MAX_IN_FLIGHT = 32;

export class Writer {
  readonly writes: Write[] = [];
  /** how long issuing the writes took */
  elapsedMs = 0;
  private seq = 0;
  private created = 0;
  private inFlight = 0;
  private readonly targets: Target[] = [];
  private cmsIds = new Map<string, string>();
  private readonly random: () => number;

  constructor(
    private readonly plan: TrialPlan,
    private readonly samplesUrl: string,
    private readonly apiKey: string,
  ) {
    this.random = makeRandom(plan.seed + 7919);
  }

  /**
   * Makes `rate × duration` writes, one every 1/rate s; when MAX_IN_FLIGHT are waiting for an answer the
   * next one waits for a slot (and the pace catches up after), so a slow system stretches the run rather
   * than thinning it. Resolves when every write has answered.
   */
  async run(): Promise<void> {
    const total = Math.round((this.plan.rate * this.plan.durationMs) / 1000);
    const gap = 1000 / this.plan.rate;
    const t0 = Date.now();
    let lastRefresh = 0;
    const pending = new Set<Promise<void>>();
    const track = (p: Promise<void>) => {
      const q = p.finally(() => pending.delete(q));
      pending.add(q);
    };
    for (let i = 0; i < total; i++) {
      if (Date.now() - lastRefresh > 1000) {
        lastRefresh = Date.now();
        track(this.refreshCmsIds());
      }
      while (this.inFlight >= MAX_IN_FLIGHT) await Promise.race(pending);
      track(this.one().then(() => undefined));
      const wait = t0 + (i + 1) * gap - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    this.elapsedMs = Date.now() - t0;
    await Promise.all(pending);
  }

  private async refreshCmsIds(): Promise<void> {
    try {
      const res = await fetch(`${this.samplesUrl}/cms/_all`);
      const all = (await res.json()) as { industries: { id: string; slug: string }[] };
      this.cmsIds = new Map(all.industries.map((d) => [d.slug, d.id]));
    } catch {
      // the next refresh will do
    }
  }

  private one(): Promise<unknown> {
    const r = this.random;
    const seq = ++this.seq;
    if (this.targets.length === 0 || r() < this.plan.createShare) return this.create(seq);
    const hot = this.targets.slice(-this.plan.hotSet);
    const target = hot[Math.floor(r() * hot.length)]!;
    // Edits set unique values, so the checker can tell every edit apart: the two-way text fields. `active` (a
    // boolean cannot be unique: an edit may set what the system already holds) keeps its create value.
    const field = r() < 0.5 ? ("name" as const) : ("description" as const);
    const value = `${field === "name" ? "N" : "D"}${this.plan.seed}-${seq}`;
    const cmsId = this.cmsIds.get(target.slug);
    if (cmsId && r() < this.plan.cmsShare) {
      return this.send({ seq, system: "cms", op: "edit", slug: target.slug, id: cmsId, values: { [field]: value } }, "PATCH", `cms/api/industries/${cmsId}`, { [field]: value });
    }
    const body = { [field]: value };
    return this.send({ seq, system: "dashboard", op: "edit", slug: target.slug, id: target.dashboardId, values: { [field]: value } }, "PATCH", `dashboard/api/industries/${target.dashboardId}`, body);
  }

  private async create(seq: number): Promise<void> {
    const n = ++this.created;
    const slug = `chaos-${this.plan.seed}-${n}`;
    const values = { name: `Industry ${this.plan.seed}-${n}`, description: `D${this.plan.seed}-${seq}`, active: true };
    const w = await this.send({ seq, system: "dashboard", op: "create", slug, id: null, values }, "POST", "dashboard/api/industries", {
      name: values.name,
      slug,
      description: values.description,
      is_active: true,
    });
    if (w.status === "ok" && w.id) this.targets.push({ slug, dashboardId: w.id });
  }

  private async send(w: Omit<Write, "sentAt" | "doneAt" | "ackAt" | "status">, method: string, path: string, body: unknown): Promise<Write> {
    const write: Write = { ...w, sentAt: Date.now(), doneAt: 0, ackAt: null, status: "unknown" };
    this.writes.push(write);
    this.inFlight++;
    try {
      const auth = w.system === "cms" ? `users API-Key ${this.apiKey}` : `Bearer ${this.apiKey}`;
      const res = await fetch(`${this.samplesUrl}/${path}`, {
        method,
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const json = (await res.json()) as { data?: Record<string, unknown>; doc?: Record<string, unknown> };
      const doc = json.data ?? json.doc;
      if (res.ok && doc) {
        write.status = "ok";
        write.id = String(doc.id);
        write.ackAt = Date.parse(String(doc.updated_at ?? doc.updatedAt));
      } else {
        write.status = "failed";
        write.error = `HTTP ${res.status} ${JSON.stringify(json).slice(0, 200)}`;
      }
    } catch (err) {
      write.error = err instanceof Error ? err.message : String(err);
    } finally {
      write.doneAt = Date.now();
      this.inFlight--;
    }
    return write;
  }
}
