import "server-only";
import { defaultConfig, isSourceBinding } from "~/sync/config";

export interface TBindingRef {
  entity: string;
  system: string;
  /** The system may write some field (so its documents can become records, not only receive them). */
  creates: boolean;
}

/** Which entity lives in which system, as the sync configuration says (today: industries everywhere). */
export function entityBindings(): TBindingRef[] {
  return defaultConfig.bindings.map((b) => ({ entity: b.entity, system: b.system, creates: isSourceBinding(b) }));
}

/** Every entity some system holds, in configuration order. */
export function entityKeys(): string[] {
  return [...new Set(entityBindings().map((b) => b.entity))];
}
