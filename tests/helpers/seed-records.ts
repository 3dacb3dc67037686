import { randomUUID } from "node:crypto";
import type { SampleSystems } from "../../demo/server";
import type { Engine } from "~/server/engine/context";
import { ingestPage } from "~/server/services/runs/ingest-page";

/** Seeds n industries into the sample Dashboard and ingests them into Concord as a run would (queuing deliveries). */
export async function seedFromDashboard(engine: Engine, samples: SampleSystems, n: number): Promise<void> {
  const dashboard = samples.system("dashboard");
  dashboard.seedSynthetic(n);
  const docs = dashboard.all() as unknown as Record<string, unknown>[];
  const runId = randomUUID();
  for (let i = 0; i < docs.length; i += 250) {
    await engine.db.transaction((tx) => ingestPage(tx, { config: engine.config, entity: "industry", system: "dashboard", docs: docs.slice(i, i + 250), runId, now: new Date() }));
  }
}
