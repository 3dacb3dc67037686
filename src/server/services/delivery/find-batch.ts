import { bindingFor } from "~/sync/config";
import { FIND_ANY_MAX_VALUES, splitByValue } from "~/sync/connectors/common";
import type { TConnectorAttempt, TDoc } from "~/sync/connectors";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import type { TClaimed, TDeliveryState } from "./claim";
import { isLive } from "../linking/tombstone";

/** What a batched lookup found for one delivery, and the request that found it (for that delivery's attempts). */
export interface TFoundByKey {
  docs: TDoc[];
  attempts: TConnectorAttempt[];
}

interface TCandidate {
  claimed: TClaimed;
  key: string;
}

/**
 * Looks up, for a claimed batch, every delivery that will create (no live link in its target, record not deleted) by
 * natural key in one request per (system, entity), where the target's dialect can (`findByAny`). The lookup runs
 * after the claim, so it finds what an earlier attempt's timed-out create made, as the per-delivery lookup does.
 * A delivery that is not in the answer (no such dialect, a value the filter cannot carry, the request failed) looks
 * itself up when it is sent. The batch's request is recorded with the first delivery of its group.
 */
export async function findBatchByNaturalKey(engine: Engine, claimed: TClaimed[], states: Map<string, TDeliveryState>): Promise<Map<number, TFoundByKey>> {
  const groups = new Map<string, TCandidate[]>();
  for (const c of claimed) {
    const state = states.get(c.record_id);
    const entity = engine.config.entities[c.entity];
    const binding = bindingFor(engine.config, c.entity, c.system);
    if (!state || !entity || !binding || state.record.deletedAt || !binding.fields[entity.naturalKey]) continue;
    const link = state.links.find((l) => l.system === c.system);
    if (isLive(link)) continue; // linked: an update, no lookup
    const key = state.record.data[entity.naturalKey];
    if (key === null || key === undefined) continue;
    const group = `${c.system}\u0000${c.entity}`;
    groups.set(group, [...(groups.get(group) ?? []), { claimed: c, key: String(key) }]);
  }
  const out = new Map<number, TFoundByKey>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      for (let i = 0; i < group.length; i += FIND_ANY_MAX_VALUES) await findGroup(engine, group.slice(i, i + FIND_ANY_MAX_VALUES), out);
    }),
  );
  return out;
}

async function findGroup(engine: Engine, group: TCandidate[], out: Map<number, TFoundByKey>): Promise<void> {
  const first = group[0]!.claimed;
  const entity = engine.config.entities[first.entity]!;
  const binding = bindingFor(engine.config, first.entity, first.system)!;
  const field = binding.fields[entity.naturalKey]!.field;
  const attempts: TConnectorAttempt[] = [];
  try {
    const conn = await getConnection(engine, first.system, { version: first.system_version });
    const connector = connectorFor(engine, conn, (a) => attempts.push(a));
    if (!connector.findByAny) return;
    const docs = await connector.findByAny(binding.resource, field, group.map((g) => g.key));
    if (docs === null) return;
    const byValue = splitByValue(docs, field, group.map((g) => g.key));
    group.forEach((g, i) => out.set(g.claimed.id, { docs: byValue.get(g.key) ?? [], attempts: i === 0 ? attempts : [] }));
  } catch (err) {
    // Each delivery then looks itself up, and a failure there is recorded with its own retry.
    engine.log.warn({ err: String(err), system: first.system }, "batched natural-key lookup failed; looking up one by one");
  }
}
