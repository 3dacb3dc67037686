import { bindingFor, type TBinding, type TEntity } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import type { Engine } from "~/server/engine/context";
import { getSystemDefOrThrow } from "../connections/get-connection";

export interface TLinkScope {
  entity: TEntity;
  binding: TBinding;
}

/** The entity and how it lives in a system: NOT_FOUND for an unknown entity or system, BAD_REQUEST when it does not live there. */
export function resolveScope(engine: Engine, entityKey: string, system: string): TLinkScope {
  const entity = engine.config.entities[entityKey];
  if (!entity) throw new SyncError("NOT_FOUND", `Unknown entity "${entityKey}".`, { field: "entity" });
  const def = getSystemDefOrThrow(engine, system);
  const binding = bindingFor(engine.config, entity.key, def.key);
  if (!binding) throw new SyncError("BAD_REQUEST", `${entity.label} records do not live in ${def.name}.`, { field: "system" });
  return { entity, binding };
}

/** A canonical value as text for display, or null. */
export const textOf = (value: unknown): string | null => (value === null || value === undefined || value === "" ? null : String(value));
