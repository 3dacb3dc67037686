import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { defaultConfig } from "~/sync/config";
import type { AppRouter } from "~/server/api/root";
import type { ZTriggerRunInput } from "~/server/services/runs/trigger-run";
import type { z } from "zod";
import { sleep, TERMINAL_RUN_STATUSES, type Backend, type TStatusReport } from "./backend";

const QUEUE_STATUSES = ["pending", "in_flight", "retrying", "dead"] as const;

export function missingKeyMessage(url: string, why: string): string {
  return [
    `${why}, so this command must go through the running Concord at ${url}, and that needs an API key in CONCORD_API_KEY.`,
    "An admin creates one (scopes: read for status, run for run and replay) in the console, or with Concord stopped:",
    "  npm run concord -- apikey create --name cli --scopes read,run",
    "then: export CONCORD_API_KEY=ck_…   (and CONCORD_URL=… if Concord is not at that address).",
    "On Postgres (DATABASE_URL) the CLI opens the database directly and needs no key.",
  ].join("\n");
}

/** Turns a tRPC client error into a sentence about what to do. */
export function explainRemote(err: unknown, url: string): Error {
  if (!(err instanceof TRPCClientError)) return err instanceof Error ? err : new Error(String(err));
  const code = (err.data as { code?: string } | undefined)?.code;
  if (code === "UNAUTHORIZED") return new Error(`The Concord at ${url} refused the API key in CONCORD_API_KEY: ${err.message}`);
  if (code === "FORBIDDEN") return new Error(`The Concord at ${url} refused: ${err.message}`);
  if (!code) return new Error(`Could not reach Concord at ${url}: ${err.message}. Is it running? Set CONCORD_URL to its address.`);
  return new Error(err.message);
}

/** Through a running Concord's API: tRPC over HTTP, authorised by an API key, exactly as an internal tool. */
export function remoteBackend(opts: { url: string; apiKey?: string; why: string }): Backend {
  const url = opts.url.replace(/\/+$/, "");
  if (!/^https?:\/\/\S+$/.test(url)) throw new Error(`CONCORD_URL must be an http(s) URL (got "${opts.url}").`);
  if (!opts.apiKey) throw new Error(missingKeyMessage(url, opts.why));
  const client = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${url}/api/trpc`, transformer: superjson, maxURLLength: 2000, headers: { authorization: `Bearer ${opts.apiKey}` } })],
  });
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw explainRemote(err, url);
    }
  };
  const keysRefused = async (): Promise<never> => {
    throw new Error(`${opts.why}. API keys cannot manage API keys: stop Concord and run this again, or manage keys in the console.`);
  };

  return {
    mode: `via the running Concord at ${url} (${opts.why})`,
    remote: true,
    createApiKey: keysRefused,
    listApiKeys: keysRefused,
    revokeApiKey: keysRefused,
    lastFetched: (entity, system) =>
      call(async () => (await client.runs.list.query({ entity, system, status: "succeeded", pageSize: 1 })).items[0]?.counts.fetched ?? null),
    startRun: (input) => call(() => client.runs.trigger.mutate(input as z.input<typeof ZTriggerRunInput>)),
    syncFleet: (input) => call(() => client.fleet.sync.mutate(input)),
    watchRun: async (id, onProgress) => {
      for (;;) {
        const { run } = await call(() => client.runs.get.query({ id, pageSize: 1 }));
        onProgress(run);
        if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
        await sleep(400);
      }
    },
    status: () =>
      call(async (): Promise<TStatusReport> => {
        const defs = Object.values(defaultConfig.systems);
        const count = (system: string, status: (typeof QUEUE_STATUSES)[number]) =>
          client.deliveries.list.query({ system, status: [status], pageSize: 1 }).then((p) => [status, p.total] as const);
        const [systems, conflicts, runs] = await Promise.all([
          Promise.all(defs.map(async (d) => ({ key: d.key, name: d.name, queue: Object.fromEntries(await Promise.all(QUEUE_STATUSES.map((s) => count(d.key, s)))) as TStatusReport["systems"][number]["queue"] }))),
          client.conflicts.list.query({ status: "open", pageSize: 1 }),
          client.runs.list.query({ pageSize: 5 }),
        ]);
        return { systems, openConflicts: conflicts.total, recentRuns: runs.items };
      }),
    countDead: (filter) => call(async () => (await client.deliveries.list.query({ status: ["dead"], system: filter.system, pageSize: 1 })).total),
    replayDead: (filter, expectedCount) => call(() => client.deliveries.replayMany.mutate({ filter: { status: "dead", system: filter.system }, expectedCount })),
    close: async () => {},
  };
}
