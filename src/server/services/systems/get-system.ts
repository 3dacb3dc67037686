import type { Engine } from "~/server/engine/context";
import { getSystemDefOrThrow } from "../connections/get-connection";
import { deliveryCountsBySystem, getSystemRow } from "./get-system-row";
import { emptyCounts, toSystemView, type TSystemView } from "./system-view";

/** One configured system; NOT_FOUND for a key the configuration does not know. */
export async function getSystem({ engine, key }: { engine: Engine; key: string }): Promise<TSystemView> {
  const def = getSystemDefOrThrow(engine, key);
  const [row, counts] = await Promise.all([getSystemRow(engine.db, key), deliveryCountsBySystem(engine.db, [key])]);
  return toSystemView(engine, def, row, counts.get(key) ?? emptyCounts());
}
