// The one routing every sample REST dialect shares: list / create on the collection, get / update /
// delete on one document. Each dialect says how its answers look.
import type { Collection, Doc, Id } from "./collection";
import { reply, type Reply } from "./http";
import type { ApiRequest } from "./types";

export interface CrudReplies {
  list(col: Collection, query: URLSearchParams): Reply;
  /** The body of a create, get or update answer for `doc` (default: the bare document). */
  one?(doc: Doc): unknown;
  /** The answer to a delete (after the document is removed). */
  removed(doc: Doc, id: Id): Reply;
  notFound(): Reply;
  methodNotAllowed(): Reply;
}

export function crud(req: ApiRequest, r: CrudReplies): Reply {
  const { method, collection: col } = req;
  const one = r.one ?? ((doc: Doc) => doc);
  if (req.id === undefined) {
    if (method === "GET") return r.list(col, req.query);
    if (method === "POST") return reply(201, one(col.create(req.body)));
    return r.methodNotAllowed();
  }
  const id = col.parseId(req.id);
  if (id === undefined) return r.notFound();
  switch (method) {
    case "GET": {
      const doc = col.get(id);
      return doc ? reply(200, one(doc)) : r.notFound();
    }
    case "PATCH":
      return reply(200, one(col.update(id, req.body)));
    case "DELETE":
      return r.removed(col.remove(id), id);
    default:
      return r.methodNotAllowed();
  }
}
