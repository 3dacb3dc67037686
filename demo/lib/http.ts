// Small helpers around node:http: replies, body reading, redirects, sleeping.
import type { IncomingMessage, ServerResponse } from "node:http";

/** A response decided by a handler; `body === undefined` means "no body" (e.g. 204). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const MIB = 1024 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

export function reply(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

/** Reads the whole request body, refusing more than `limit` bytes (413). */
export function readBody(req: IncomingMessage, limit = MIB): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyError(413, `Request body larger than ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyError(413, `Request body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", (err) => {
      if (!failed) reject(err);
    });
  });
}

/** Parses a JSON object body; empty body → `{}`. Throws BodyError(400) on anything else. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BodyError(400, "Invalid JSON body");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new BodyError(400, "JSON body must be an object");
  }
  return value as Record<string, unknown>;
}

export function send(res: ServerResponse, r: Reply): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | number> = { ...r.headers };
  if (r.body === undefined) {
    res.writeHead(r.status, headers);
    res.end();
    return;
  }
  const text = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
  if (!headers["content-type"]) headers["content-type"] = "application/json; charset=utf-8";
  headers["content-length"] = Buffer.byteLength(text);
  res.writeHead(r.status, headers);
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, { status, body });
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, { status, body: html, headers: { "content-type": "text/html; charset=utf-8" } });
}

export function redirect(res: ServerResponse, location: string): void {
  send(res, { status: 303, headers: { location } });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

let lastMs = 0;

/**
 * Now, strictly later than any time given before in this process: an updated-at is a document's version
 * (conditional updates compare it), so two writes within one millisecond must not share one.
 */
export function nowIso(): string {
  lastMs = Math.max(Date.now(), lastMs + 1);
  return new Date(lastMs).toISOString();
}
