/**
 * An internal tool calling Concord from a separate script, fully typed by Concord's router type.
 *
 *   CONCORD_URL=http://localhost:3000 CONCORD_API_KEY=ck_… npx tsx examples/internal-tool.ts
 *
 * The key needs the scopes read, write and run (`npm run concord -- apikey create --name tool --scopes read,write,run`).
 * Only the router's *type* is imported: nothing of the server runs here.
 */
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";

const url = (process.env.CONCORD_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const apiKey = process.env.CONCORD_API_KEY;
if (!apiKey) {
  console.error("Set CONCORD_API_KEY to an API key with the scopes read, write and run.");
  process.exit(1);
}

const concord = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: `${url}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${apiKey}` } })],
});

async function main(): Promise<void> {
  // 1. Create or change an industry as if the Dashboard had: Concord sends it to every system that carries it.
  const { outcome, record, targets } = await concord.records.upsert.mutate({
    entity: "industry",
    origin: "dashboard",
    data: { name: "Offshore Wind", slug: "offshore-wind", description: "Turbines at sea." },
  });
  console.log(`records.upsert: ${outcome} ${record.naturalKey} (version ${record.version}), queued for ${targets.join(", ") || "nobody"}`);

  // 2. Reconcile the CMS now, and follow the run until it stops.
  const started = await concord.runs.trigger.mutate({ entity: "industry", system: "cms", kind: "full" });
  let { run } = await concord.runs.get.query({ id: started.id });
  while (["queued", "running"].includes(run.status)) {
    await new Promise((r) => setTimeout(r, 500));
    ({ run } = await concord.runs.get.query({ id: started.id }));
  }
  console.log(`runs.get: run ${run.id} ${run.status}, fetched ${run.counts.fetched}, created ${run.counts.created}, updated ${run.counts.updated}`);
  if (run.status !== "succeeded") throw new Error(run.error ?? `run ${run.status}`);
}

main().catch((err: unknown) => {
  // A read-only key gets FORBIDDEN; a revoked or unknown key UNAUTHORIZED; bad data UNPROCESSABLE_CONTENT naming the field.
  if (err instanceof TRPCClientError) console.error(`Concord said ${String((err.data as { code?: string } | undefined)?.code)}: ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
