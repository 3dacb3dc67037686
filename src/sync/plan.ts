import type { TBinding, TEntity, TSyncConfig } from "./config/types";
import { bindingsOf } from "./config/validate";
import type { TDoc } from "./connectors/types";
import { bindingKeys, idKey, isIdKey, mapOut, sameValue, type TValues } from "./mapping";

/**
 * Which systems must hear about a change: every other binding of the entity that carries a changed
 * field, plus any binding that stores the id of a system a record was just linked in (the seed's cms_id).
 */
export function planTargets(opts: { config: TSyncConfig; entity: string; origin: string | null; changedKeys: Iterable<string>; created?: boolean }): string[] {
  const keys = new Set(opts.changedKeys);
  const targets: string[] = [];
  for (const b of bindingsOf(opts.config, opts.entity)) {
    if (b.system === opts.origin) continue;
    const carries = opts.created ? Object.keys(b.fields).length > 0 : bindingKeys(b).some((k) => keys.has(k));
    if (carries) targets.push(b.system);
  }
  return targets;
}

export type TDeliveryAction =
  | { kind: "noop"; reason: string }
  | { kind: "create"; body: TDoc; sent: TValues }
  | { kind: "update"; externalId: string; body: TDoc; sent: TValues }
  | { kind: "delete"; externalId: string }
  | { kind: "archive"; externalId: string; body: TDoc; sent: TValues };

export interface TDeliveryInput {
  entity: TEntity;
  binding: TBinding;
  /** The record's current values plus `@system` ids of its links; null data = tombstoned. */
  values: TValues;
  deleted: boolean;
  /** Fields held by an open conflict: they are not sent. */
  held: string[];
  link: { externalId: string; lastValues: TValues | null } | null;
}

/**
 * What a delivery does, decided from the record's state when it runs (so a replay is never stale):
 * create when not linked, update only the fields that differ from what the target last agreed,
 * delete / archive / nothing for a tombstone as the binding says, or nothing when already in agreement.
 */
export function planDelivery(input: TDeliveryInput): TDeliveryAction {
  const { entity, binding, values, link } = input;
  if (input.deleted) {
    if (!link) return { kind: "noop", reason: "not in this system" };
    if (binding.onDelete === "ignore") return { kind: "noop", reason: "deletes are ignored here" };
    if (binding.onDelete === "archive" && binding.archive) {
      const { body, sent } = mapOut(binding, entity, { [binding.archive.field]: binding.archive.value }, [binding.archive.field]);
      return { kind: "archive", externalId: link.externalId, body, sent };
    }
    return { kind: "delete", externalId: link.externalId };
  }
  const keys = bindingKeys(binding).filter((k) => !input.held.includes(k) && !(isIdKey(k) && k === idKey(binding.system)));
  if (!link) {
    const createKeys = keys.filter((k) => !isIdKey(k) || values[k] != null);
    const { body, sent } = mapOut(binding, entity, values, createKeys);
    return { kind: "create", body, sent };
  }
  const last = link.lastValues;
  const differing = keys.filter((k) => {
    if (isIdKey(k) && values[k] === undefined) return false;
    return !last || !(k in last) || !sameValue(values[k] ?? null, last[k]);
  });
  if (differing.length === 0) return { kind: "noop", reason: "already in agreement" };
  const { body, sent } = mapOut(binding, entity, values, differing);
  return { kind: "update", externalId: link.externalId, body, sent };
}

/** Bindings that keep `system`'s id (the Dashboard keeps the CMS id): they must hear of a new link there. */
export function idKeepers(config: TSyncConfig, entity: string, system: string): string[] {
  return bindingsOf(config, entity)
    .filter((b) => b.storesIdOf[system])
    .map((b) => b.system);
}
