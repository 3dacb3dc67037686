import { SyncError } from "../errors";
import { ZBinding, ZSystemDef, type TBindingInput, type TEntity, type TFieldBinding, type TSyncConfig, type TSystemDefInput, type TValueMap } from "./types";

/** A copy of `record` with no prototype, so only its own keys are ever found. */
export function ownOnly<T>(record: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, record);
}

/** The system named `key`, by own property only (a URL's `constructor` or `__proto__` is no system). */
export function systemOf<S>(config: { systems: Record<string, S> }, key: string): S | undefined {
  return Object.hasOwn(config.systems, key) ? config.systems[key] : undefined;
}

/** Builds and checks a configuration; a mistake stops start-up with a message naming it. */
export function defineConfig(input: { entities: TEntity[]; systems: TSystemDefInput[]; bindings: TBindingInput[]; valueMaps?: Record<string, TValueMap> }): TSyncConfig {
  const problems: string[] = [];
  const valueMaps = Object.fromEntries(Object.entries(input.valueMaps ?? {}).map(([k, m]) => [k, { ...m, entries: { ...m.entries } }]));
  // Without a prototype: a key from a URL (`constructor`, `__proto__`, `toString`) finds nothing.
  const entities = ownOnly(Object.fromEntries(input.entities.map((e) => [e.key, e])));
  const systems = ownOnly(Object.fromEntries(input.systems.map((s) => [s.key, ZSystemDef.parse(s)])));
  const bindings = input.bindings.map((b) => ZBinding.parse(b));

  for (const s of Object.values(systems)) {
    if (s.connector === "rest" && !s.dialect) problems.push(`system ${s.key}: a rest connector needs a dialect`);
  }
  const seen = new Set<string>();
  for (const b of bindings) {
    const where = `binding ${b.entity}@${b.system}`;
    const entity = entities[b.entity];
    if (!entity) problems.push(`${where}: unknown entity`);
    if (!systems[b.system]) problems.push(`${where}: unknown system`);
    if (seen.has(`${b.entity}@${b.system}`)) problems.push(`${where}: defined twice`);
    seen.add(`${b.entity}@${b.system}`);
    if (!entity) continue;
    const shape = entity.schema.shape as Record<string, unknown>;
    for (const [field, fb] of Object.entries(b.fields)) {
      if (!(field in shape)) problems.push(`${where}: field ${field} is not in the ${b.entity} schema`);
      if (fb.valueMap && !valueMaps[fb.valueMap]) problems.push(`${where}: field ${field} names unknown value map ${fb.valueMap}`);
    }
    for (const [field, target] of Object.entries(entity.references)) {
      if (!entities[target] && !input.entities.some((e) => e.key === target)) problems.push(`${b.entity}.${field}: references unknown entity ${target}`);
    }
    if (!b.fields[entity.naturalKey]) problems.push(`${where}: the natural key ${entity.naturalKey} must be mapped`);
    if (b.onDelete === "archive" && (!b.archive || !b.fields[b.archive.field])) {
      problems.push(`${where}: onDelete "archive" needs archive.field mapped in the binding`);
    }
    for (const other of Object.keys(b.storesIdOf)) {
      if (!systems[other]) problems.push(`${where}: storesIdOf names unknown system ${other}`);
    }
  }
  for (const entity of Object.values(entities)) {
    const own = bindings.filter((b) => b.entity === entity.key);
    for (const field of Object.keys(entity.schema.shape)) {
      const dirs = own.filter((b) => b.fields[field]).map((b) => [b.system, b.fields[field]!.direction] as const);
      const owners = dirs.filter(([, d]) => d === "owner");
      if (owners.length > 1) problems.push(`${entity.key}.${field}: more than one owner (${owners.map(([s]) => s).join(", ")})`);
      if (owners.length === 1 && dirs.some(([, d]) => d === "both")) {
        problems.push(`${entity.key}.${field}: has an owner, so other systems must only receive it`);
      }
    }
    for (const s of entity.priority) if (!systems[s]) problems.push(`${entity.key}: priority names unknown system ${s}`);
  }
  if (problems.length) throw new SyncError("INTERNAL", `Invalid sync configuration:\n  ${problems.join("\n  ")}`);
  for (const b of bindings) {
    for (const fb of Object.values(b.fields) as TFieldBinding[]) if (fb.valueMap) fb.table = valueMaps[fb.valueMap]!.entries;
  }
  return { entities, systems, bindings, valueMaps };
}

/**
 * A copy of the configuration with value maps of its own (bindings re-pointed at them), so an admin's edit
 * in one engine never reaches another engine in the same process (tests run several).
 */
export function withOwnValueMaps(config: TSyncConfig): TSyncConfig {
  const valueMaps = Object.fromEntries(Object.entries(config.valueMaps).map(([k, m]) => [k, { ...m, entries: { ...m.entries } }]));
  const bindings = config.bindings.map((b) => ({
    ...b,
    fields: Object.fromEntries(
      Object.entries(b.fields).map(([k, fb]) => [k, (fb as TFieldBinding).valueMap ? { ...fb, table: valueMaps[(fb as TFieldBinding).valueMap!]!.entries } : fb]),
    ),
  }));
  return { ...config, bindings, valueMaps };
}

/** The value map a field binding uses, if any. */
export function valueMapOf(config: TSyncConfig, fb: { valueMap?: string }): Record<string, string> | null {
  return fb.valueMap ? (config.valueMaps[fb.valueMap]?.entries ?? null) : null;
}

export function bindingFor(config: TSyncConfig, entity: string, system: string) {
  return config.bindings.find((b) => b.entity === entity && b.system === system);
}

export function bindingsOf(config: TSyncConfig, entity: string) {
  return config.bindings.filter((b) => b.entity === entity);
}

/** The entities whose records point at records of `entity`, and through which field (a vessel's `company`). */
export function referencesTo(config: TSyncConfig, entity: string): { child: string; field: string }[] {
  return Object.values(config.entities).flatMap((e) => Object.entries(e.references).filter(([, target]) => target === entity).map(([field]) => ({ child: e.key, field })));
}

/**
 * A source binding: its system may send changes into Concord (a field it owns or shares), and so create and delete
 * records. A receive-only binding (the Lead Centre, the Maintenance Portal) is only written to.
 */
export function isSourceBinding(binding: { fields: Record<string, { direction: string }> }): boolean {
  return Object.keys(binding.fields).some((f) => mayWrite(binding, f));
}

/**
 * May this binding's system change this field? (It owns or shares it.) With isSourceBinding — may it create and
 * delete records — and mayReceive, the one rule for who writes what; nothing else reads a field's direction.
 */
export function mayWrite(binding: { fields: Record<string, { direction: string }> }, field: string): boolean {
  const d = binding.fields[field]?.direction;
  return d === "owner" || d === "both";
}

/** Does Concord write this field to this binding's system? (It shares or only receives it.) */
export function mayReceive(binding: { fields: Record<string, { direction: string }> }, field: string): boolean {
  const d = binding.fields[field]?.direction;
  return d === "both" || d === "receive";
}
