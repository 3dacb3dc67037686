// `/{key}/api/...`: request recording, faults, auth, then custom routes or collection
// routes in the system's dialect; thrown errors become the dialect's replies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ConflictError, NotFoundError, ValidationError, type Collection } from "./collection";
import { BodyError, parseJsonObject, readBody, send, sendJson, sleep, type Reply } from "./http";
import type { SampleSystem } from "./system";

const BODY_METHODS = new Set(["POST", "PATCH", "PUT"]);
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/** A conditional update (`If-Match`) whose document changed since the version named. */
class PreconditionFailedError extends Error {}

/**
 * `If-Match` on an update names the version the writer last saw: the document's updated-at as an entity tag
 * (`"2026-12-07T03:20:00.123Z"`; `*` = any). Checked in the same tick as the write, so nothing slips between.
 */
function checkIfMatch(header: string | undefined, col: Collection | undefined, rawId: string | undefined): void {
  if (header === undefined || !col || rawId === undefined) return;
  const id = col.parseId(rawId);
  const doc = id === undefined ? undefined : col.get(id);
  if (!doc) return; // the update itself answers 404
  const tags = header.split(",").map((t) => t.trim().replace(/^W\//, "").replace(/^"|"$/g, ""));
  if (tags.includes("*") || tags.some((t) => Date.parse(t) === col.updatedMs(doc))) return;
  throw new PreconditionFailedError(`The document changed since that version (it is at ${String(doc[col.spec.updatedField])}).`);
}

/** Reads the body, returning a BodyError instead of throwing it. */
async function readRaw(req: IncomingMessage): Promise<string | BodyError> {
  try {
    return await readBody(req);
  } catch (err) {
    if (err instanceof BodyError) return err;
    throw err;
  }
}

export async function serveApi(s: SampleSystem, req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
  s.stats.request();
  const dialect = s.def.dialect;
  const method = req.method ?? "GET";
  let raw: string | BodyError | undefined;
  if (s.requestLog) {
    // recorded as it arrives, before any fault, auth or validation answers
    raw = await readRaw(req);
    s.requestLog.add({ method, path: url.pathname, query: url.search, body: typeof raw === "string" ? raw : "" });
  }
  const faults = s.getFaults();
  if (faults.down) {
    req.socket.destroy();
    return;
  }
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (faults.rate429 > 0 && Math.random() < faults.rate429) {
    const r = dialect.error(429, "Too many requests");
    return send(res, { ...r, headers: { ...r.headers, "retry-after": String(faults.retryAfterSeconds) } });
  }
  if (faults.errorRate > 0 && Math.random() < faults.errorRate) return sendJson(res, 500, { error: "injected" });
  if (!dialect.authorize(req.headers.authorization, s.apiKey)) return send(res, dialect.unauthorized());

  let col: Collection | undefined;
  let r: Reply;
  try {
    let segments = path.split("/").filter((x) => x !== "").map((x) => decodeURIComponent(x));
    const prefix = dialect.prefix ?? [];
    if (!prefix.every((p, i) => segments[i] === p)) throw new NotFoundError();
    segments = segments.slice(prefix.length);
    col = segments.length >= 1 && segments.length <= 2 ? s.collections.get(segments[0]!) : undefined;
    let body = {};
    if (BODY_METHODS.has(method)) {
      const text = raw ?? (await readBody(req));
      if (text instanceof BodyError) throw text;
      body = parseJsonObject(text);
    }
    if (method === "PATCH" || method === "PUT") checkIfMatch(req.headers["if-match"], col, segments[1]);
    const custom = dialect.route?.({ method, segments, query: url.searchParams, body, path: url.pathname }, s);
    if (custom) r = custom;
    else if (!col) r = dialect.notFound();
    else r = dialect.handle({ method, collection: col, id: segments[1], query: url.searchParams, body, path: url.pathname });
  } catch (err) {
    if (err instanceof BodyError) r = dialect.error(err.status, err.message);
    else if (err instanceof ValidationError) r = dialect.validation(err.fields, col ?? s.defaultCollection);
    else if (err instanceof ConflictError) r = dialect.conflict?.(err.message, err.field) ?? dialect.error(409, err.message);
    else if (err instanceof NotFoundError || err instanceof URIError) r = dialect.notFound();
    else if (err instanceof PreconditionFailedError) r = dialect.error(412, err.message);
    else throw err;
  }
  if (WRITE_METHODS.has(method) && faults.applyButTimeoutMs > 0) await sleep(faults.applyButTimeoutMs);
  send(res, r);
}
