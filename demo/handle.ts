// Direct, in-process access to one sample system (for tests and benchmarks).
import type { Doc, Id } from "./lib/collection";
import type { Faults } from "./lib/faults";
import type { RecordedRequest } from "./lib/requests";
import type { SampleSystem, SystemConfig, SystemStats } from "./lib/system";
import type { WebhookFaults, WebhookLogEntry } from "./lib/webhook-faults";

export type SampleSystemKey = "dashboard" | "cms" | "lead-centre" | "onboarding" | "maintenance";

/** `collection` defaults to the system's first collection ("industries", "companies"); `T` types another one. */
export interface SampleSystemHandle<D = Doc> {
  readonly key: SampleSystemKey;
  readonly secret: string;
  /** e.g. http://127.0.0.1:4000/dashboard/api */
  readonly apiUrl: string;
  /** e.g. http://127.0.0.1:4000/dashboard/ */
  readonly uiUrl: string;
  /** collection names, the default one first */
  readonly collections: readonly string[];
  /** every doc (copies), sorted by (updated time asc, id asc) */
  all<T = D>(collection?: string): T[];
  get<T = D>(id: Id, collection?: string): T | undefined;
  stats(): SystemStats;
  faults(): Faults;
  setFaults(patch: Partial<Faults>): Faults;
  /** delay / jitter / reorder / drop of outgoing webhooks (seeded; all off by default) */
  webhookFaults(): WebhookFaults;
  setWebhookFaults(patch: Partial<WebhookFaults>): WebhookFaults;
  /** what became of each webhook since the last reset */
  webhookOutcomes(): WebhookLogEntry[];
  config(): SystemConfig;
  setConfig(patch: Partial<SystemConfig>): SystemConfig;
  /** clears storage, stats, faults, recorded requests and queued webhooks (config kept) */
  reset(): void;
  /** loads docs in the system's own shape; no webhooks, not counted; ids assigned when missing */
  seed(records: ReadonlyArray<Partial<D>> | readonly Doc[], collection?: string): number;
  /** loads the demo data set */
  seedSample(): number;
  /** loads `n` synthetic records (industries, or fleet vessels with their equipment and users) */
  seedSynthetic(n: number, offset?: number): number;
  /** writes like the API / UI do: validated, counted in stats, webhooks sent. Throw ValidationError / NotFoundError / ConflictError. */
  create<T = D>(input: Partial<NoInfer<T>> | Doc, collection?: string): T;
  update<T = D>(id: Id, patch: Partial<NoInfer<T>> | Doc, collection?: string): T;
  remove<T = D>(id: Id, collection?: string): T;
  /** whether `value` matches a write-only field's stored hash (e.g. a user's password) */
  verifyWriteOnly(id: Id, field: string, value: string, collection?: string): boolean;
  /** every API request received since the last reset (systems that record requests; else []) */
  requests(): RecordedRequest[];
  clearRequests(): void;
  /** resolves when no webhook is queued or in flight */
  webhooksIdle(): Promise<void>;
}

export function makeHandle<D>(s: SampleSystem, baseUrl: string): SampleSystemHandle<D> {
  const col = (name?: string) => s.collection(name);
  const parse = (id: Id, name?: string): Id => col(name).parseId(id) ?? id;
  const copy = <T>(doc: Doc) => ({ ...doc }) as T;
  return {
    key: s.key as SampleSystemKey,
    secret: s.secret,
    apiUrl: `${baseUrl}/${s.key}/api`,
    uiUrl: `${baseUrl}/${s.key}/`,
    collections: [...s.collections.keys()],
    all: <T>(name?: string) => col(name).all().map((d) => copy<T>(d)),
    get: <T>(id: Id, name?: string) => {
      const doc = col(name).get(parse(id, name));
      return doc ? copy<T>(doc) : undefined;
    },
    stats: () => s.getStats(),
    faults: () => s.getFaults(),
    setFaults: (patch) => s.setFaults(patch),
    webhookFaults: () => s.getWebhookFaults(),
    setWebhookFaults: (patch) => s.setWebhookFaults(patch),
    webhookOutcomes: () => s.webhookOutcomes(),
    config: () => s.getConfig(),
    setConfig: (patch) => s.setConfig(patch),
    reset: () => s.reset(),
    seed: (records, name) => s.seed(records as unknown as Doc[], name),
    seedSample: () => s.seedSample(),
    seedSynthetic: (n, offset) => s.seedSynthetic(n, offset),
    create: <T>(input: Partial<NoInfer<T>> | Doc, name?: string) => copy<T>(col(name).create(input as Doc)),
    update: <T>(id: Id, patch: Partial<NoInfer<T>> | Doc, name?: string) => copy<T>(col(name).update(parse(id, name), patch as Doc)),
    remove: <T>(id: Id, name?: string) => copy<T>(col(name).remove(parse(id, name))),
    verifyWriteOnly: (id, field, value, name) => col(name).verifyWriteOnly(parse(id, name), field, value),
    requests: () => s.requestLog?.snapshot().requests ?? [],
    clearRequests: () => s.requestLog?.clear(),
    webhooksIdle: () => s.webhooksIdle(),
  };
}
