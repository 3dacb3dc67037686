import { z } from "zod";
import { ZRestDialect } from "../connectors/rest-dialect";
import { ENVELOPE_KINDS } from "../envelope";
import { ZFieldKind } from "../normalize";

/**
 * Who may write a field, per binding:
 * - `owner`: this system is the source of truth; its changes flow out, nobody else may change it;
 * - `both`: a common field, changed on either side, synced both ways;
 * - `receive`: Concord writes it here; a change made here is a foreign write (overwritten or flagged).
 * A field absent from a binding stays local to that system and never leaves it.
 */
export const ZDirection = z.enum(["owner", "both", "receive"]);
export type TDirection = z.infer<typeof ZDirection>;

export const ZTransformName = z.enum(["identity", "string", "boolean", "number", "nullIfEmpty"]);
export type TTransformName = z.infer<typeof ZTransformName>;

export const ZFieldBinding = z.object({
  /** The field's name in the system's documents. */
  field: z.string().min(1),
  direction: ZDirection,
  transform: ZTransformName.default("identity"),
  /** A named value map (config `valueMaps`): the system's value → the canonical one (e.g. onboarding roles). */
  valueMap: z.string().optional(),
});
/** `table` is the value map's entries, attached by defineConfig (shared, so an admin's edit reaches every binding). */
export type TFieldBinding = z.infer<typeof ZFieldBinding> & { table?: Record<string, string> };

export const ZBinding = z.object({
  entity: z.string().min(1),
  system: z.string().min(1),
  /** REST resource (collection slug), e.g. "industries". */
  resource: z.string().min(1),
  idField: z.string().default("id"),
  /** The system's updated-at field: source time of a change, and the incremental cursor. */
  updatedAtField: z.string().nullable().default(null),
  /** canonical field → how it lives in this system. */
  fields: z.record(z.string(), ZFieldBinding),
  /** Where this system keeps another system's id: { cms: "cms_id" } (the seed's cms_id). Concord writes it. */
  storesIdOf: z.record(z.string(), z.string()).default({}),
  /** What a delete elsewhere does here. */
  onDelete: z.enum(["delete", "archive", "ignore"]).default("delete"),
  /** For `archive`: the canonical field and the value that archives. */
  archive: z.object({ field: z.string(), value: z.unknown() }).nullable().default(null),
  /** A change here to a field this system may not write: put Concord's value back, or hold it as a conflict. */
  onForeignWrite: z.enum(["overwrite", "flag"]).default("overwrite"),
  /** Only documents matching every filter sync (system field = value), e.g. only approved. */
  filters: z.array(z.object({ field: z.string(), equals: z.unknown() })).default([]),
  /**
   * On create only: a temporary password Concord makes, sends in `field`, flags with `mustChangeField`
   * and keeps encrypted to show once to the admin who ran the sync. Never logged, never stored in clear.
   */
  temporaryPassword: z.object({ field: z.string(), mustChangeField: z.string().nullable().default(null) }).nullable().default(null),
  /**
   * A full run that would create a record here while this system holds an unlinked document that resembles
   * it (a near-match by name, scoring at least `minScore`) holds that create as a "possible duplicate" for an
   * admin to review (link, create anyway, skip) instead of making it. `hold: false` creates as before.
   * Admins override it per binding (settings `nearMatches.<entity>:<system>`).
   */
  nearMatches: z.object({ hold: z.boolean().default(true), minScore: z.number().min(0.5).max(0.99).default(0.7) }).default({ hold: true, minScore: 0.7 }),
});
export type TBinding = z.infer<typeof ZBinding>;
export type TBindingInput = z.input<typeof ZBinding>;

export const ZConflictPolicy = z.enum(["lww", "priority", "manual"]);
export type TConflictPolicy = z.infer<typeof ZConflictPolicy>;

export interface TEntity {
  key: string;
  label: string;
  /** The canonical schema every record of this entity satisfies. */
  schema: z.ZodObject;
  /** The canonical field that identifies a record across systems (slug, IMO number, email…). */
  naturalKey: string;
  displayField: string;
  kinds: Record<string, z.infer<typeof ZFieldKind>>;
  /** canonical field → the entity it points at (translated through links). */
  references: Record<string, string>;
  conflictPolicy: TConflictPolicy;
  /** For the `priority` policy: the first system named wins. */
  priority: string[];
  /** Fields Concord makes when the origin leaves them empty (e.g. a QR code), stable for the same document. */
  generate?: Record<string, "qr-code">;
}

/** A table from one system's values to canonical ones (e.g. onboarding roles → maintenance roles), editable by admins. */
export interface TValueMap {
  label: string;
  /** The system whose values are the keys. */
  from: string;
  /** The system whose vocabulary the canonical values use. */
  to: string;
  entries: Record<string, string>;
}

export const ZSystemDef = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string(),
  connector: z.enum(["rest", "payload"]),
  dialect: ZRestDialect.optional(),
  /** For payload: the API prefix, default "/api". */
  apiPath: z.string().optional(),
  /** Which header carries the credential: authorization (Bearer, Payload's `users API-Key …`) or e.g. x-api-key. */
  authHeader: z.string().default("authorization"),
  /** Which envelope its webhooks use. */
  webhookEnvelope: z.enum(ENVELOPE_KINDS).default("standard"),
});
export type TSystemDef = z.infer<typeof ZSystemDef>;
export type TSystemDefInput = z.input<typeof ZSystemDef>;

export interface TSyncConfig {
  entities: Record<string, TEntity>;
  systems: Record<string, TSystemDef>;
  bindings: TBinding[];
  /** Named value maps; the objects are shared with the field bindings that use them (edited in place). */
  valueMaps: Record<string, TValueMap>;
}
