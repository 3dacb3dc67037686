import { z } from "zod";
import type { TSyncConfig } from "~/sync/config";

/**
 * Per field and system: `owner` (source of truth), `both` (two-way), `receive` (fed by Concord), `local`
 * (the binding does not map it: it never leaves that system), `id` (where that system keeps another system's
 * id, written by Concord), `none` (an id row in a system that does not keep that id).
 */
export const ZOwnershipRole = z.enum(["owner", "both", "receive", "local", "id", "none"]);
export const ZOwnershipCell = z.object({
  role: ZOwnershipRole,
  /** The field's name in that system's documents; null when the binding does not name it. */
  field: z.string().nullable(),
  /** How the value is translated on the way (boolean, nullIfEmpty…); null for none. */
  transform: z.string().nullable(),
  /** A named value map (e.g. roles), when the field uses one. */
  valueMap: z.string().nullable(),
});
export const ZOwnershipRow = z.object({
  /** The canonical field, or `id:{system}` for where systems keep that system's id. */
  key: z.string(),
  label: z.string(),
  naturalKey: z.boolean(),
  /** The entity this field points at, for a reference. */
  references: z.string().nullable(),
  cells: z.record(z.string(), ZOwnershipCell),
});
export const ZOwnershipMatrix = z.object({
  entity: z.string(),
  entityLabel: z.string(),
  conflictPolicy: z.string(),
  priority: z.array(z.string()),
  /** The systems the entity lives in, in configuration order. */
  systems: z.array(z.object({ key: z.string(), name: z.string(), resource: z.string(), idField: z.string(), onDelete: z.string() })),
  rows: z.array(ZOwnershipRow),
});
export type TOwnershipMatrix = z.infer<typeof ZOwnershipMatrix>;
export type TOwnershipCell = z.infer<typeof ZOwnershipCell>;

export const ZFieldOwnershipInput = z.object({
  entity: z.string().trim().min(1).max(100).optional(),
  /** Only the entities that live in this system (their every system still shown). */
  system: z.string().trim().min(1).max(100).optional(),
});

const NONE = { field: null, transform: null, valueMap: null };

/**
 * The field ownership matrix of each entity, derived from the configuration's bindings alone: one row per
 * canonical field (schema order), one column per system the entity lives in; then one row per system whose
 * id another system keeps (the Dashboard's `cms_id`).
 */
export function fieldOwnership(config: TSyncConfig, input: z.input<typeof ZFieldOwnershipInput> = {}): TOwnershipMatrix[] {
  const q = ZFieldOwnershipInput.parse(input);
  return Object.values(config.entities)
    .filter((e) => !q.entity || e.key === q.entity)
    .map((entity) => ({ entity, bindings: config.bindings.filter((b) => b.entity === entity.key) }))
    .filter(({ bindings }) => bindings.length > 0 && (!q.system || bindings.some((b) => b.system === q.system)))
    .map(({ entity, bindings }) => {
      const fieldRows = Object.keys(entity.schema.shape).map((key) => ({
        key,
        label: key,
        naturalKey: key === entity.naturalKey,
        references: entity.references[key] ?? null,
        cells: Object.fromEntries(
          bindings.map((b) => {
            const fb = b.fields[key];
            const cell: TOwnershipCell = fb ? { role: fb.direction, field: fb.field, transform: fb.transform === "identity" ? null : fb.transform, valueMap: fb.valueMap ?? null } : { role: "local", ...NONE };
            return [b.system, cell];
          }),
        ),
      }));
      const kept = [...new Set(bindings.flatMap((b) => Object.keys(b.storesIdOf)))];
      const idRows = kept.map((other) => ({
        key: `id:${other}`,
        label: `${config.systems[other]?.name ?? other} id`,
        naturalKey: false,
        references: null,
        cells: Object.fromEntries(
          bindings.map((b) => {
            const field = b.storesIdOf[other];
            const cell: TOwnershipCell = field ? { role: "id", field, transform: null, valueMap: null } : { role: "none", ...NONE };
            return [b.system, cell];
          }),
        ),
      }));
      return {
        entity: entity.key,
        entityLabel: entity.label,
        conflictPolicy: entity.conflictPolicy,
        priority: entity.priority,
        systems: bindings.map((b) => ({ key: b.system, name: config.systems[b.system]?.name ?? b.system, resource: b.resource, idField: b.idField, onDelete: b.onDelete })),
        rows: [...fieldRows, ...idRows],
      };
    });
}
