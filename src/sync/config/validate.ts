import { SyncError } from "../errors";
import { ZBinding, ZSystemDef, type TBindingInput, type TEntity, type TSyncConfig, type TSystemDefInput } from "./types";

/** Builds and checks a configuration; a mistake stops start-up with a message naming it. */
export function defineConfig(input: { entities: TEntity[]; systems: TSystemDefInput[]; bindings: TBindingInput[] }): TSyncConfig {
  const problems: string[] = [];
  const entities = Object.fromEntries(input.entities.map((e) => [e.key, e]));
  const systems = Object.fromEntries(input.systems.map((s) => [s.key, ZSystemDef.parse(s)]));
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
    for (const field of Object.keys(b.fields)) {
      if (!(field in shape)) problems.push(`${where}: field ${field} is not in the ${b.entity} schema`);
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
  return { entities, systems, bindings };
}

export function bindingFor(config: TSyncConfig, entity: string, system: string) {
  return config.bindings.find((b) => b.entity === entity && b.system === system);
}

export function bindingsOf(config: TSyncConfig, entity: string) {
  return config.bindings.filter((b) => b.entity === entity);
}

/** May this binding's system change this field? */
export function mayWrite(binding: { fields: Record<string, { direction: string }> }, field: string): boolean {
  const d = binding.fields[field]?.direction;
  return d === "owner" || d === "both";
}
