// The HTML UI's routes: `GET /{key}/?c=<collection>` (the page) and
// `POST /{key}/ui/{collection}/create | /{id}/{update|delete|<action>}` (forms, 303 back to the page).
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyError, readBody, redirect, sendHtml, sendJson } from "./http";
import type { SampleSystem } from "./system";
import { renderPage } from "./ui";
import { applyUiAction } from "./ui-actions";

export function serveUiPage(s: SampleSystem, res: ServerResponse, url: URL): void {
  const name = url.searchParams.get("c") ?? undefined;
  const col = name && s.collections.has(name) ? s.collection(name) : s.defaultCollection;
  const html = renderPage({
    systemKey: s.key,
    systemTitle: s.def.title,
    apiPath: [`/${s.key}/api`, ...(s.def.dialect.prefix ?? []), col.name].join("/"),
    collection: col,
    collections: [...s.collections.keys()],
    actions: s.def.actions ?? [],
    error: url.searchParams.get("error"),
    ok: url.searchParams.get("ok"),
  });
  sendHtml(res, 200, html);
}

export async function serveUiAction(s: SampleSystem, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const seg = path.split("/").map((x) => safeDecode(x));
  const col = seg[0] ? s.collections.get(seg[0]) : undefined;
  if (req.method !== "POST" || !col) return sendJson(res, 404, { error: "Not found" });
  let outcome: { kind: "ok" | "error"; message: string };
  try {
    outcome = applyUiAction(col, seg.slice(1), new URLSearchParams(await readBody(req)), s.def.actions ?? []);
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    outcome = { kind: "error", message: err.message };
  }
  redirect(res, `/${s.key}/?c=${encodeURIComponent(col.name)}&${outcome.kind}=${encodeURIComponent(outcome.message)}`);
}

function safeDecode(x: string): string {
  try {
    return decodeURIComponent(x);
  } catch {
    return x;
  }
}
