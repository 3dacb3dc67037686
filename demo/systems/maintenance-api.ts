// The Maintenance Portal's REST dialect under `/maintenance/api/`: bare documents, cursor
// paging `{ results, next }` with `limit`, `after` and `modified_since`, errors as
// `{ error, field? }` (400 bad query, 404, 409 duplicate or still referred to, 422 invalid).
import { MESSAGES, type Collection } from "../lib/collection";
import { crud } from "../lib/crud";
import { reply, type Reply } from "../lib/http";
import { bearerAuth, decodeCursor, encodeCursor, eqParams, intParam } from "../lib/params";
import type { ApiRequest, Dialect } from "../lib/types";

const EQ_FIELDS = ["id", "registration_no", "imo", "qr_code", "email", "vessel_id", "company_id"] as const;

const fail = (status: number, error: string, field?: string): Reply => reply(status, field ? { error, field } : { error });
const notFound = (): Reply => fail(404, "not found");
const methodNotAllowed = (): Reply => fail(405, "method not allowed");

function list(col: Collection, query: URLSearchParams): Reply {
  const limit = intParam(query.get("limit"), 100, 1, 1000);
  const rawSince = query.get("modified_since");
  let since: number | undefined;
  if (rawSince) {
    since = Date.parse(rawSince);
    if (Number.isNaN(since)) return fail(400, "modified_since must be an ISO 8601 date-time", "modified_since");
  }
  const rawAfter = query.get("after");
  const after = rawAfter ? decodeCursor(rawAfter) : undefined;
  if (rawAfter && !after) return fail(400, "malformed cursor", "after");
  // modified_since is inclusive: modified_at >= modified_since (list() takes "strictly after")
  const r = col.list({ since: since === undefined ? undefined : since - 1, after, eq: eqParams(col, query, EQ_FIELDS), limit });
  const last = r.items[r.items.length - 1];
  return reply(200, { results: r.items, next: r.hasMore && last ? encodeCursor(col.updatedMs(last), last.id as number) : null });
}

const handle = (req: ApiRequest): Reply => crud(req, { list, removed: (doc) => reply(200, doc), notFound, methodNotAllowed });

export const maintenanceDialect: Dialect = {
  authorize: bearerAuth,
  unauthorized: () => reply(401, { error: "unauthorized" }, { "www-authenticate": "Bearer" }),
  notFound,
  error: (status, message) => fail(status, message),
  /** the first invalid field; a duplicate is a 409, anything else a 422 */
  validation: (fields) => {
    const [field, message] = Object.entries(fields)[0] ?? ["", "invalid"];
    return fail(message === MESSAGES.unique ? 409 : 422, `${field}: ${message}`, field);
  },
  conflict: (message, field) => fail(409, message, field),
  handle,
};
