import "server-only";
import { defaultConfig } from "~/sync/config";

export interface TBindingRef {
  entity: string;
  system: string;
}

/** Which entity lives in which system, as the sync configuration says (today: industries everywhere). */
export function entityBindings(): TBindingRef[] {
  return defaultConfig.bindings.map((b) => ({ entity: b.entity, system: b.system }));
}

/** Every entity some system holds, in configuration order. */
export function entityKeys(): string[] {
  return [...new Set(entityBindings().map((b) => b.entity))];
}
