import type { TApiKeyView } from "~/server/services/api-keys/api-key-view";
import type { TCreateApiKeyOutput } from "~/server/services/api-keys/create-api-key";
import type { TReplayDeliveriesOutput } from "~/server/services/deliveries/replay-deliveries";
import type { TRunView } from "~/server/services/runs/run-view";
import type { TSyncFleetInput } from "~/server/services/fleet/sync-fleet";
import type { TDeliveryCounts } from "~/server/services/systems/system-view";

export const RUN_KINDS = ["full", "incremental", "dry-run", "validate"] as const;
export type TCliRunKind = (typeof RUN_KINDS)[number];
export const TERMINAL_RUN_STATUSES = ["succeeded", "failed", "cancelled", "awaiting-approval"];

export interface TStatusReport {
  systems: { key: string; name: string; queue: Pick<TDeliveryCounts, "pending" | "in_flight" | "retrying" | "dead"> }[];
  openConflicts: number;
  recentRuns: TRunView[];
}

/**
 * What the commands need from Concord, done either directly on the database (Concord stopped, or on
 * Postgres) or through the API of a running Concord. `mode` says which, in words, for the first line.
 */
export interface Backend {
  readonly mode: string;
  readonly remote: boolean;
  createApiKey(input: { name: string; scopes: ("read" | "write" | "run")[] }): Promise<TCreateApiKeyOutput>;
  listApiKeys(): Promise<TApiKeyView[]>;
  revokeApiKey(id: string): Promise<TApiKeyView>;
  /** The fetched count of the last finished run of this pair: the progress bar's expected total. */
  lastFetched(entity: string, system: string): Promise<number | null>;
  startRun(input: { entity: string; system: string; kind: TCliRunKind }): Promise<TRunView>;
  /** Onboarding → Maintenance: the whole fleet, one vessel, or a date range; one run per entity, parents first. */
  syncFleet(input: TSyncFleetInput): Promise<{ groupId: string; runs: TRunView[] }>;
  /** Calls `onProgress` as the run goes; resolves with the run once it stops. */
  watchRun(id: string, onProgress: (run: TRunView) => void): Promise<TRunView>;
  status(): Promise<TStatusReport>;
  countDead(filter: { system?: string }): Promise<number>;
  replayDead(filter: { system?: string }, expectedCount: number): Promise<TReplayDeliveriesOutput>;
  /** Direct mode only: sends what is queued now (nobody else will while Concord is stopped). */
  deliverQueued?(budgetMs: number): Promise<{ sent: number; waiting: number; dead: number }>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
