import type { SampleSystems } from "../../demo/server";
import type { Engine } from "~/server/engine/context";
import { applyChange } from "~/server/services/ingest/apply-change";

/** Seeds n industries into the sample Dashboard and applies them to Concord as Dashboard changes (queuing deliveries). */
export async function seedFromDashboard(engine: Engine, samples: SampleSystems, n: number): Promise<void> {
  const dashboard = samples.system("dashboard");
  dashboard.seedSynthetic(n);
  const docs = dashboard.all();
  for (let i = 0; i < docs.length; i += 250) {
    await engine.db.transaction(async (tx) => {
      for (const doc of docs.slice(i, i + 250)) {
        await applyChange(tx, engine.config, { entity: "industry", system: "dashboard", kind: "create", externalId: String(doc.id), doc: doc as unknown as Record<string, unknown>, eventTime: null }, new Date());
      }
    });
  }
}
