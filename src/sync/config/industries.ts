import { z } from "zod";
import type { TBindingInput, TEntity } from "./types";

/** The canonical industry: what every system's industry means, whatever its field names. */
export const ZIndustry = z.object({
  name: z.string().trim().min(1, "is required").max(200),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens"),
  description: z.string().max(5000).nullable().default(null),
  active: z.boolean().default(true),
});
export type TIndustry = z.infer<typeof ZIndustry>;

export const industryEntity: TEntity = {
  key: "industry",
  label: "Industry",
  schema: ZIndustry,
  naturalKey: "slug",
  displayField: "name",
  kinds: { name: "string", slug: "string", description: "string", active: "boolean" },
  references: {},
  conflictPolicy: "lww",
  priority: ["dashboard", "cms", "lead-centre"],
};

/**
 * The seed's topology (seeds/000): the Dashboard is the central point and keeps the CMS id in
 * `cms_id`; Dashboard ↔ CMS two-way on the common fields (Option B); each keeps its own fields
 * (`internal_notes`, `seoTitle`) that never leave it; the Lead Centre is fed one-way from the Dashboard.
 */
export const industryBindings: TBindingInput[] = [
  {
    entity: "industry",
    system: "dashboard",
    resource: "industries",
    updatedAtField: "updated_at",
    fields: {
      name: { field: "name", direction: "both" },
      slug: { field: "slug", direction: "both" },
      description: { field: "description", direction: "both", transform: "nullIfEmpty" },
      active: { field: "is_active", direction: "both", transform: "boolean" },
    },
    storesIdOf: { cms: "cms_id" },
    onDelete: "delete",
  },
  {
    entity: "industry",
    system: "cms",
    resource: "industries",
    updatedAtField: "updatedAt",
    fields: {
      name: { field: "name", direction: "both" },
      slug: { field: "slug", direction: "both" },
      description: { field: "description", direction: "both", transform: "nullIfEmpty" },
      active: { field: "active", direction: "both", transform: "boolean" },
    },
    onDelete: "delete",
  },
  {
    entity: "industry",
    system: "lead-centre",
    resource: "industries",
    updatedAtField: "updated_at",
    fields: {
      name: { field: "title", direction: "receive" },
      slug: { field: "slug", direction: "receive" },
      description: { field: "summary", direction: "receive", transform: "nullIfEmpty" },
      active: { field: "enabled", direction: "receive", transform: "boolean" },
    },
    onDelete: "archive",
    archive: { field: "active", value: false },
    onForeignWrite: "overwrite",
  },
];
