// "Sample Dashboard": integer ids, snake_case fields, `{ data, meta }` envelopes,
// page/per_page paging, 401 / 404 / 422 errors as `{ error: { message, fields? } }`.
import type { Collection, CollectionSpec, Doc } from "../lib/collection";
import { crud } from "../lib/crud";
import { reply, type Reply } from "../lib/http";
import { bearerAuth, eqParams, intParam, isoParam } from "../lib/params";
import type { ApiRequest, SystemDefinition } from "../lib/types";
import { generateIndustries, sampleIndustries, seriesTime, type SampleIndustry } from "../data/industries";

/** A dashboard industry as the API returns it. */
export interface DashboardIndustry {
  id: number;
  name: string;
  slug: string;
  description: string;
  is_active: boolean;
  cms_id: string | null;
  internal_notes: string;
  created_at: string;
  updated_at: string;
}

export const dashboardIndustries: CollectionSpec = {
  name: "industries",
  singular: "industry",
  idKind: "int",
  titleField: "name",
  createdField: "created_at",
  updatedField: "updated_at",
  fields: [
    { name: "name", label: "Name", type: "string", default: "", required: true },
    { name: "slug", label: "Slug", type: "string", default: "", required: true, slug: true, unique: true, ui: "create" },
    { name: "description", label: "Description", type: "string", default: "" },
    { name: "is_active", label: "Active", type: "boolean", default: true },
    { name: "cms_id", label: "CMS id", type: "nullable-string", default: null, ui: "readonly" },
    { name: "internal_notes", label: "Internal notes", type: "string", default: "" },
  ],
};

const EQ_FIELDS = ["id", "name", "slug", "cms_id", "is_active"] as const;
const NOTES = ["", "", "Key account segment.", "", "Review pricing in Q3.", "", "Seasonal demand.", ""];

const fail = (status: number, message: string): Reply => reply(status, { error: { message } });

function list(col: Collection, query: URLSearchParams): Reply {
  const page = intParam(query.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
  const perPage = intParam(query.get("per_page"), 50, 1, 500);
  const since = isoParam(query.get("updated_since"), "updated_since");
  const r = col.list({ since, eq: eqParams(col, query, EQ_FIELDS), offset: (page - 1) * perPage, limit: perPage });
  return reply(200, { data: r.items, meta: { page, per_page: perPage, total: r.total, has_more: r.hasMore } });
}

const handle = (req: ApiRequest): Reply =>
  crud(req, {
    list,
    one: (doc) => ({ data: doc }),
    removed: () => reply(204),
    notFound: () => fail(404, "Not found"),
    methodNotAllowed: () => fail(405, "Method not allowed"),
  });

function toDoc(s: SampleIndustry, i: number, at: string): Doc {
  return {
    id: i + 1,
    name: s.name,
    slug: s.slug,
    description: s.description,
    is_active: i % 9 !== 4,
    cms_id: null,
    internal_notes: NOTES[i % NOTES.length] ?? "",
    created_at: at,
    updated_at: at,
  };
}

export const dashboard: SystemDefinition = {
  key: "dashboard",
  title: "Sample Dashboard",
  collections: [dashboardIndustries],
  dialect: {
    authorize: bearerAuth,
    unauthorized: () => reply(401, { error: { message: "Unauthorized" } }, { "www-authenticate": "Bearer" }),
    notFound: () => fail(404, "Not found"),
    error: fail,
    validation: (fields) => reply(422, { error: { message: "Validation failed", fields } }),
    handle,
  },
  sample: () => ({
    industries: sampleIndustries().dashboard.map((s, i) => toDoc(s, i, seriesTime(i, "2025-01-06T09:00:00.000Z", 37 * 60_000))),
  }),
  synthetic: (n, offset) => ({
    industries: generateIndustries(n, offset).map((s, k) => {
      const doc = toDoc(s, offset + k, seriesTime(offset + k, "2024-01-01T00:00:00.000Z", 1000));
      delete doc.id; // let the store assign ids after existing records
      return doc;
    }),
  }),
};
