import { bindingFor, mayWrite, type TBinding, type TEntity, type TSyncConfig } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { normalizePresent, type TValues } from "~/sync/mapping";
import { validateCanonical } from "../ingest/apply-change";
import { entityOrThrow } from "./find-record";

/**
 * An API change speaks for one system (its `origin`): that system's binding says which fields the
 * change may carry, exactly as if the system itself had sent it.
 */
export function originBinding(config: TSyncConfig, entityKey: string, origin: string): { entity: TEntity; binding: TBinding } {
  const entity = entityOrThrow(config, entityKey);
  const binding = bindingFor(config, entity.key, origin);
  if (!binding) throw new SyncError("UNPROCESSABLE", `${entity.key} does not live in "${origin}": name a system that holds it as origin.`, { field: "origin" });
  return { entity, binding };
}

/** Refuses a field the entity does not have, or one the origin does not carry or may not write; the error names it. */
export function checkApiValues(entity: TEntity, binding: TBinding, data: Record<string, unknown>): TValues {
  const shape = entity.schema.shape as Record<string, unknown>;
  for (const field of Object.keys(data)) {
    if (!(field in shape)) throw new SyncError("UNPROCESSABLE", `${entity.key}.${field} is not a field of ${entity.key}.`, { field });
    if (!binding.fields[field]) {
      throw new SyncError("UNPROCESSABLE", `${entity.key}.${field} does not live in ${binding.system}, so a change from there cannot carry it.`, { field });
    }
    if (!mayWrite(binding, field)) {
      throw new SyncError("UNPROCESSABLE", `${binding.system} only receives ${entity.key}.${field}: name a system that may write it as origin.`, { field });
    }
  }
  const values = normalizePresent(data, entity.kinds);
  validateCanonical(entity, values, true); // types and rules of each given field, named on failure
  return values;
}

