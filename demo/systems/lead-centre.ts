// "Sample Lead Centre": UUID ids, bare documents, cursor paging
// `{ items, next_cursor }`, errors as `{ message, errors? }`.
import type { Collection, CollectionSpec, Doc } from "../lib/collection";
import { crud } from "../lib/crud";
import { reply, type Reply } from "../lib/http";
import { bearerAuth, decodeCursor, encodeCursor, eqParams, intParam, isoParam } from "../lib/params";
import type { ApiRequest, SystemDefinition } from "../lib/types";
import { generateIndustries, seriesTime } from "../data/industries";

/** A lead-centre industry as the API returns it. */
export interface LeadCentreIndustry {
  id: string;
  title: string;
  slug: string;
  summary: string;
  enabled: boolean;
  lead_price: number;
  created_at: string;
  updated_at: string;
}

export const leadCentreIndustries: CollectionSpec = {
  name: "industries",
  singular: "industry",
  idKind: "uuid",
  titleField: "title",
  createdField: "created_at",
  updatedField: "updated_at",
  fields: [
    { name: "title", label: "Title", type: "string", default: "", required: true },
    { name: "slug", label: "Slug", type: "string", default: "", required: true, slug: true, unique: true, ui: "create" },
    { name: "summary", label: "Summary", type: "string", default: "" },
    { name: "enabled", label: "Enabled", type: "boolean", default: true },
    { name: "lead_price", label: "Lead price", type: "number", default: 0 },
  ],
};

const EQ_FIELDS = ["id", "title", "slug", "enabled"] as const;

const fail = (status: number, message: string): Reply => reply(status, { message });
const notFound = (): Reply => fail(404, "not found");

function list(col: Collection, query: URLSearchParams): Reply {
  const limit = intParam(query.get("limit"), 100, 1, 1000);
  const since = isoParam(query.get("updated_since"), "updated_since");
  const rawCursor = query.get("cursor");
  let after: { ms: number; id: string | number } | undefined;
  if (rawCursor) {
    after = decodeCursor(rawCursor);
    if (!after) return reply(400, { message: "invalid", errors: [{ field: "cursor", message: "Malformed cursor." }] });
  }
  // `<field>_in=a,b,c`: any of these values (one per field; on a unique field each is a direct lookup).
  const anyField = EQ_FIELDS.find((f) => query.get(`${f}_in`) !== null);
  const anyOf: [string, unknown[]] | undefined = anyField ? [anyField, query.get(`${anyField}_in`)!.split(",").map((v) => col.coerce(anyField, v))] : undefined;
  const r = col.list({ since, after, eq: eqParams(col, query, EQ_FIELDS), anyOf, limit });
  const last = r.items[r.items.length - 1];
  const next_cursor = r.hasMore && last ? encodeCursor(col.updatedMs(last), last.id as string) : null;
  return reply(200, { items: r.items, next_cursor });
}

const handle = (req: ApiRequest): Reply =>
  crud(req, {
    list,
    removed: (_doc, id) => reply(200, { deleted: true, id }),
    notFound,
    methodNotAllowed: () => fail(405, "method not allowed"),
  });

export const leadCentre: SystemDefinition = {
  key: "lead-centre",
  title: "Sample Lead Centre",
  collections: [leadCentreIndustries],
  dialect: {
    authorize: bearerAuth,
    unauthorized: () => reply(401, { message: "unauthorized" }, { "www-authenticate": "Bearer" }),
    notFound,
    error: fail,
    validation: (fields) =>
      reply(400, { message: "invalid", errors: Object.entries(fields).map(([field, message]) => ({ field, message })) }),
    handle,
  },
  // the lead centre starts empty in the demo
  sample: () => ({ industries: [] }),
  synthetic: (n, offset) => ({
    industries: generateIndustries(n, offset).map(
      (s, k): Doc => ({
        title: s.name,
        slug: s.slug,
        summary: s.description,
        enabled: true,
        lead_price: 5 + ((offset + k) % 20),
        created_at: seriesTime(offset + k, "2024-01-01T00:00:00.000Z", 1000),
        updated_at: seriesTime(offset + k, "2024-01-01T00:00:00.000Z", 1000),
      }),
    ),
  }),
};
