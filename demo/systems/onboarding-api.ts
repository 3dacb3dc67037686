// The Onboarding Portal's data-provider API under `/onboarding/api/sync/`: page-numbered
// lists `{ data, pagination }`, `{ data }` envelopes, `{ error: { message, fields? } }` errors,
// plus the vessel export bundle and the approve action.
import { NotFoundError, type Collection, type Doc, type Id } from "../lib/collection";
import { crud } from "../lib/crud";
import { reply, type Reply } from "../lib/http";
import { bearerAuth, eqParams, intParam, isoParam } from "../lib/params";
import type { ApiRequest, Dialect, RouteRequest, SystemContext } from "../lib/types";

const EQ_FIELDS = ["id", "approvalStatus", "vesselId", "companyId", "imoNumber", "qrCode", "email", "registrationNumber"] as const;
const ALL = Number.MAX_SAFE_INTEGER;

const fail = (status: number, message: string): Reply => reply(status, { error: { message } });
const notFound = (): Reply => fail(404, "not found");
const methodNotAllowed = (): Reply => fail(405, "method not allowed");

/** Sets approvalStatus "approved" (approvedAt and updatedAt follow); an approved record is left as it is. */
export function approve(col: Collection, id: Id): Doc {
  const doc = col.get(id);
  if (!doc) throw new NotFoundError();
  return doc.approvalStatus === "approved" ? doc : col.update(id, { approvalStatus: "approved" });
}

function list(col: Collection, query: URLSearchParams): Reply {
  const page = intParam(query.get("page"), 1, 1, ALL);
  const limit = intParam(query.get("limit"), 100, 1, 1000);
  const since = isoParam(query.get("since"), "since");
  // `since` is inclusive: updatedAt >= since (list() takes "strictly after")
  const r = col.list({ since: since === undefined ? undefined : since - 1, eq: eqParams(col, query, EQ_FIELDS), offset: (page - 1) * limit, limit });
  return reply(200, { data: r.items, pagination: { page, limit, total: r.total, hasMore: r.hasMore } });
}

const handle = (req: ApiRequest): Reply =>
  crud(req, { list, one: (doc) => ({ data: doc }), removed: (doc) => reply(200, { data: doc }), notFound, methodNotAllowed });

/** Everything a vessel needs on board: its company, equipment and the users assigned to it. */
function exportVessel(sys: SystemContext, rawId: string): Reply {
  const vessels = sys.collections.get("vessels")!;
  const id = vessels.parseId(rawId);
  const vessel = id === undefined ? undefined : vessels.get(id);
  if (!vessel) return notFound();
  const companies = sys.collections.get("companies")!;
  const companyId = companies.parseId(vessel.companyId);
  const onVessel = (name: string) => sys.collections.get(name)!.list({ eq: [["vesselId", vessel.id]], limit: ALL }).items;
  return reply(200, {
    data: {
      company: (companyId === undefined ? undefined : companies.get(companyId)) ?? null,
      vessel,
      equipment: onVessel("equipment"),
      users: onVessel("users"),
    },
  });
}

/** POST sync/export/{vesselId} and POST sync/{collection}/{id}/approve. */
function route(req: RouteRequest, sys: SystemContext): Reply | undefined {
  const [first, second, third] = req.segments;
  if (first === "export" && req.segments.length === 2) {
    return req.method === "POST" ? exportVessel(sys, second!) : methodNotAllowed();
  }
  const col = first === undefined ? undefined : sys.collections.get(first);
  if (col && req.segments.length === 3 && third === "approve") {
    if (req.method !== "POST") return methodNotAllowed();
    const id = col.parseId(second);
    if (id === undefined) return notFound();
    return reply(200, { data: approve(col, id) });
  }
  return undefined;
}

export const onboardingDialect: Dialect = {
  prefix: ["sync"],
  authorize: bearerAuth,
  unauthorized: () => reply(401, { error: { message: "unauthorized" } }, { "www-authenticate": "Bearer" }),
  notFound,
  error: fail,
  validation: (fields) => reply(422, { error: { message: `Validation failed: ${Object.keys(fields).join(", ")}`, fields } }),
  conflict: (message, field) => reply(409, { error: field ? { message, fields: { [field]: message } } : { message } }),
  route,
  handle,
};
