import { defineConfig, type TBindingInput, type TConflictPolicy, type TSyncConfig } from "~/sync/config";
import { industryBindings, industryEntity } from "~/sync/config/industries";
import { systemDefs } from "~/sync/config/systems";

/** The shipped industry topology with the conflict policy, priority or Option A swapped in. */
export function industryConfig(opts: { policy?: TConflictPolicy; priority?: string[]; optionA?: "overwrite" | "flag" } = {}): TSyncConfig {
  const bindings: TBindingInput[] = industryBindings.map((b) => {
    if (!opts.optionA || b.system === "lead-centre") return b;
    // Option A: the Dashboard owns every field; the CMS only receives them.
    const direction = b.system === "dashboard" ? "owner" : "receive";
    const fields = Object.fromEntries(Object.entries(b.fields).map(([k, f]) => [k, { ...f, direction }]));
    return { ...b, fields, onForeignWrite: b.system === "cms" ? opts.optionA : b.onForeignWrite } as TBindingInput;
  });
  return defineConfig({
    entities: [{ ...industryEntity, conflictPolicy: opts.policy ?? industryEntity.conflictPolicy, priority: opts.priority ?? industryEntity.priority }],
    systems: systemDefs,
    bindings,
  });
}
