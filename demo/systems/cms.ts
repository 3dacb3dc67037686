// "Sample CMS": speaks Payload CMS 3's REST dialect — 24-hex ids, camelCase,
// `{ doc, message }` write envelopes, paginated `{ docs, totalDocs, … }` lists with
// `where[field][op]=value` queries, `{ errors: [...] }` errors, 403 without auth.
import type { Collection, CollectionSpec, Doc } from "../lib/collection";
import { reply, type Reply } from "../lib/http";
import { authToken, intParam } from "../lib/params";
import type { ApiRequest, SystemDefinition } from "../lib/types";
import { generateIndustries, sampleIndustries, seriesTime, type SampleIndustry } from "../data/industries";

/** A CMS industry as the API returns it. */
export interface CmsIndustry {
  id: string;
  name: string;
  slug: string;
  description: string;
  active: boolean;
  seoTitle: string;
  createdAt: string;
  updatedAt: string;
}

export const cmsIndustries: CollectionSpec = {
  name: "industries",
  singular: "industry",
  idKind: "objectid",
  titleField: "name",
  createdField: "createdAt",
  updatedField: "updatedAt",
  fields: [
    { name: "name", label: "Name", type: "string", default: "", required: true },
    { name: "slug", label: "Slug", type: "string", default: "", required: true, slug: true, unique: true, ui: "create" },
    { name: "description", label: "Description", type: "string", default: "" },
    { name: "active", label: "Active", type: "boolean", default: true },
    { name: "seoTitle", label: "SEO title", type: "string", default: "" },
  ],
};

const errors = (status: number, message: string): Reply => reply(status, { errors: [{ message }] });
const notFound = (): Reply => errors(404, "Not Found");
const routeNotFound = (path: string): Reply => errors(404, `Route not found "${path}"`);
const TIME_FIELDS = new Set(["createdAt", "updatedAt"]);
const WHERE_RE = /^where\[([^\]]+)\]\[([^\]]+)\]$/;

/** Capitalised singular label, like Payload's default ("industry" → "Industry"). */
const label = (col: Collection) => col.spec.singular.charAt(0).toUpperCase() + col.spec.singular.slice(1);

function list(col: Collection, query: URLSearchParams): Reply {
  const limitRaw = intParam(query.get("limit"), 10, 0, 1000);
  const limit = limitRaw === 0 ? 1000 : limitRaw;
  const page = intParam(query.get("page"), 1, 1, Number.MAX_SAFE_INTEGER);
  let since: number | undefined;
  const eq: Array<[string, unknown]> = [];
  const where: Array<(d: Doc) => boolean> = [];
  let anyOf: [string, unknown[]] | undefined;
  for (const [key, value] of query) {
    const m = WHERE_RE.exec(key);
    if (!m) {
      if (key.startsWith("where")) return errors(400, `The following path cannot be queried: ${key}`);
      continue;
    }
    const field = m[1]!;
    const op = m[2]!;
    const known = field === "id" || col.fieldMap.has(field) || TIME_FIELDS.has(field);
    if (!known) return errors(400, `The following path cannot be queried: ${field}`);
    const v = TIME_FIELDS.has(field) ? value : col.coerce(field, value);
    const ms = TIME_FIELDS.has(field) ? Date.parse(value) : NaN;
    switch (op) {
      case "equals":
        if (TIME_FIELDS.has(field)) where.push((d) => Date.parse(String(d[field])) === ms);
        else eq.push([field, v]);
        break;
      case "not_equals":
        where.push((d) => d[field] !== v);
        break;
      case "in": {
        const values = value.split(",").map((s) => col.coerce(field, s));
        if (anyOf) where.push((d) => values.includes(d[field]));
        else anyOf = [field, values];
        break;
      }
      case "like":
      case "contains": {
        const words = op === "like" ? value.toLowerCase().split(/\s+/).filter(Boolean) : [value.toLowerCase()];
        where.push((d) => words.every((w) => String(d[field] ?? "").toLowerCase().includes(w)));
        break;
      }
      case "greater_than":
      case "greater_than_equal":
      case "less_than":
      case "less_than_equal": {
        if (!TIME_FIELDS.has(field)) return errors(400, `The following path cannot be queried: ${field}.${op}`);
        if (Number.isNaN(ms)) return errors(400, `Invalid date for ${field}: ${value}`);
        if (field === "updatedAt" && op.startsWith("greater")) {
          const floor = op === "greater_than" ? ms : ms - 1;
          since = since === undefined ? floor : Math.max(since, floor);
          break;
        }
        where.push((d) => {
          const t = Date.parse(String(d[field]));
          if (op === "greater_than") return t > ms;
          if (op === "greater_than_equal") return t >= ms;
          if (op === "less_than") return t < ms;
          return t <= ms;
        });
        break;
      }
      default:
        return errors(400, `The following path cannot be queried: ${field}.${op}`);
    }
  }
  const r = col.list({ since, eq, where, anyOf, offset: (page - 1) * limit, limit });
  const totalPages = Math.max(1, Math.ceil(r.total / limit));
  const hasNextPage = page < totalPages;
  const hasPrevPage = page > 1;
  return reply(200, {
    docs: r.items,
    totalDocs: r.total,
    limit,
    totalPages,
    page,
    pagingCounter: r.total > 0 ? (page - 1) * limit + 1 : 1,
    hasPrevPage,
    hasNextPage,
    prevPage: hasPrevPage ? page - 1 : null,
    nextPage: hasNextPage ? page + 1 : null,
  });
}

function handle(req: ApiRequest): Reply {
  const { method, collection: col } = req;
  if (req.id === undefined) {
    if (method === "GET") return list(col, req.query);
    if (method === "POST") return reply(201, { doc: col.create(req.body), message: `${label(col)} successfully created.` });
    return routeNotFound(req.path);
  }
  if (method !== "GET" && method !== "PATCH" && method !== "DELETE") return routeNotFound(req.path);
  const id = col.parseId(req.id);
  if (id === undefined) return notFound();
  if (method === "GET") {
    const doc = col.get(id);
    return doc ? reply(200, doc) : notFound();
  }
  if (method === "PATCH") return reply(200, { doc: col.update(id, req.body), message: "Updated successfully." });
  return reply(200, { doc: col.remove(id), message: "Deleted successfully." });
}

function validation(fields: Record<string, string>, col: Collection): Reply {
  const paths = Object.keys(fields);
  const message = `${paths.length === 1 ? "The following field is invalid:" : "The following fields are invalid:"} ${paths.join(", ")}`;
  return reply(400, {
    errors: [
      {
        name: "ValidationError",
        message,
        data: { collection: col.name, errors: paths.map((path) => ({ message: fields[path], path })) },
      },
    ],
  });
}

function toDoc(s: SampleIndustry, at: string): Doc {
  return {
    name: s.name,
    slug: s.slug,
    description: s.description,
    active: true,
    seoTitle: `${s.name} | Find trusted providers`,
    createdAt: at,
    updatedAt: at,
  };
}

export const cms: SystemDefinition = {
  key: "cms",
  title: "Sample CMS",
  collections: [cmsIndustries],
  dialect: {
    authorize: (header, apiKey) => authToken(header, "Bearer") === apiKey || authToken(header, "users API-Key") === apiKey,
    unauthorized: () => errors(403, "You are not allowed to perform this action."),
    notFound,
    error: errors,
    validation,
    handle,
  },
  sample: () => ({
    industries: sampleIndustries().cms.map((s, i) => toDoc(s, seriesTime(i, "2025-02-03T10:15:00.000Z", 53 * 60_000))),
  }),
  synthetic: (n, offset) => ({
    industries: generateIndustries(n, offset).map((s, k) => toDoc(s, seriesTime(offset + k, "2024-01-01T00:00:00.000Z", 1000))),
  }),
};
