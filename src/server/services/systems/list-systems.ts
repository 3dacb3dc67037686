import { inArray } from "drizzle-orm";
import { systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { deliveryCountsBySystem, getSystemRow } from "./get-system-row";
import { emptyCounts, toSystemView, type TSystemView } from "./system-view";

/** Every configured system with its connection settings (no secret values) and delivery counts. */
export async function listSystems({ engine }: { engine: Engine }): Promise<TSystemView[]> {
  const defs = Object.values(engine.config.systems);
  const keys = defs.map((d) => d.key);
  if (keys.length === 0) return [];
  const [rows, counts] = await Promise.all([
    engine.db.select().from(systems).where(inArray(systems.key, keys)),
    deliveryCountsBySystem(engine.db, keys),
  ]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const views: TSystemView[] = [];
  for (const def of defs) {
    const row = byKey.get(def.key) ?? (await getSystemRow(engine.db, def.key));
    views.push(toSystemView(engine, def, row, counts.get(def.key) ?? emptyCounts()));
  }
  return views;
}
