import { z } from "zod";
import type { TBinding, TSyncConfig } from "~/sync/config";

/**
 * One entity's flow between two systems, derived from the bindings: `from` → `to` when only `from`'s
 * changes reach `to`, or both ways (`twoWay`, `from` then being the system listed first in the config).
 */
export const ZFlow = z.object({
  entity: z.string(),
  entityLabel: z.string(),
  from: z.string(),
  to: z.string(),
  twoWay: z.boolean(),
  /** The canonical fields that travel along it. */
  fields: z.array(z.string()),
});
export type TFlow = z.infer<typeof ZFlow>;

export const ZTopology = z.object({
  systems: z.array(z.object({ key: z.string(), name: z.string() })),
  flows: z.array(ZFlow),
});
export type TTopology = z.infer<typeof ZTopology>;

const writes = (b: TBinding, field: string) => ["owner", "both"].includes(b.fields[field]?.direction ?? "");
const takes = (b: TBinding, field: string) => ["both", "receive"].includes(b.fields[field]?.direction ?? "");

/** The fields a change in `a` carries to `b`: `a` may write them and `b` receives them. */
function carried(a: TBinding, b: TBinding): string[] {
  return Object.keys(a.fields).filter((f) => writes(a, f) && takes(b, f));
}

/**
 * Systems as nodes and entity flows as edges, from the configuration alone: `owner` → `receive` is one
 * way from the owner, `both` on both sides is two-way, a binding whose fields are all `receive` is fed
 * one way. A field absent from a binding stays local and makes no flow.
 */
export function deriveTopology(config: TSyncConfig): TTopology {
  const systems = Object.values(config.systems).map((s) => ({ key: s.key, name: s.name }));
  const order = new Map(systems.map((s, i) => [s.key, i]));
  const flows: TFlow[] = [];
  for (const entity of Object.values(config.entities)) {
    const bindings = config.bindings
      .filter((b) => b.entity === entity.key && order.has(b.system))
      .sort((x, y) => order.get(x.system)! - order.get(y.system)!);
    for (let i = 0; i < bindings.length; i++) {
      for (let j = i + 1; j < bindings.length; j++) {
        const [a, b] = [bindings[i]!, bindings[j]!];
        const forth = carried(a, b);
        const back = carried(b, a);
        if (forth.length === 0 && back.length === 0) continue;
        const base = { entity: entity.key, entityLabel: entity.label };
        if (forth.length && back.length) flows.push({ ...base, from: a.system, to: b.system, twoWay: true, fields: [...new Set([...forth, ...back])] });
        else if (forth.length) flows.push({ ...base, from: a.system, to: b.system, twoWay: false, fields: forth });
        else flows.push({ ...base, from: b.system, to: a.system, twoWay: false, fields: back });
      }
    }
  }
  return { systems, flows };
}
