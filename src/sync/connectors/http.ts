import { isSyncError, SyncError } from "../errors";
import { classifyHttpStatus, parseRetryAfter } from "../retry";
import { hostAllowed } from "./allowed-hosts";
import type { ConnectorContext, TDoc } from "./types";

/** One HTTP exchange with an external system, with every failure mapped to a SyncError. */

export const EXCERPT_CHARS = 500;

/**
 * The first `max` UTF-16 units of `text`, never ending in half a character: a cut inside a surrogate pair (an emoji)
 * leaves a lone surrogate, which is not valid Unicode, and Postgres refuses it inside jsonb (an attempt's excerpt
 * goes out in the success statement's jsonb, and one bad excerpt would fail a delivery that reached its target).
 */
export function excerptOf(text: string, max = EXCERPT_CHARS): string {
  let cut = text.length > max ? text.slice(0, max) : text;
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // the first half of a pair the cut split
  return cut.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

export interface THttpRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path after the base URL, starting with "/". */
  path: string;
  query?: URLSearchParams | null;
  body?: TDoc;
  /** Statuses handed back to the caller instead of thrown (e.g. 404 for get). */
  accept?: readonly number[];
  /** Finds the offending field in a 4xx validation error body. */
  errorField?: (body: unknown) => string | undefined;
  /** Extra request headers (a precondition such as If-Match). */
  headers?: Record<string, string>;
}

export interface THttpResponse {
  status: number;
  /** Parsed JSON body; null for an empty body; undefined when the body is not JSON. */
  json: unknown;
}

/** Throws on a context no request could succeed with: bad base URL, timeout or header name. */
export function assertConnectorContext(ctx: ConnectorContext): void {
  let url: URL | null = null;
  try {
    url = new URL(ctx.baseUrl);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new SyncError("BAD_REQUEST", "connector baseUrl must be an absolute http(s) URL", { field: "baseUrl" });
  }
  if (url.username || url.password) {
    throw new SyncError("BAD_REQUEST", "connector baseUrl must not contain credentials; use authorization", {
      field: "baseUrl",
    });
  }
  if (!hostAllowed(url, ctx.allowedHosts)) {
    throw new SyncError("BAD_REQUEST", `connector baseUrl host ${url.host} is not on the allowed hosts list`, { field: "baseUrl" });
  }
  if (!Number.isFinite(ctx.timeoutMs) || ctx.timeoutMs <= 0) {
    throw new SyncError("BAD_REQUEST", "connector timeoutMs must be a positive number", { field: "timeoutMs" });
  }
  if (ctx.authorization && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(ctx.authorization.header)) {
    throw new SyncError("BAD_REQUEST", "connector authorization header name is invalid", { field: "authorization" });
  }
}

/**
 * What scrubCredential looks for, made once per credential object (not twice per request) and gone with it: a
 * caller that makes a connector per delivery hands in the same authorization object while the credential stands.
 */
const needlesOf = new WeakMap<object, string[]>();

function needlesFor(auth: { value: string }): string[] {
  let needles = needlesOf.get(auth);
  if (!needles) {
    const words = auth.value.split(/\s+/).filter((w) => w.length >= 8);
    needles = [auth.value, ...words].flatMap((s) => [s, encodeURIComponent(s)]).filter((n) => n.length > 0);
    needles.sort((a, b) => b.length - a.length);
    needlesOf.set(auth, needles);
  }
  return needles;
}

/** Blanks out the credential (whole value and its long words, raw and URL-encoded) in `text`. */
export function scrubCredential(text: string, ctx: ConnectorContext): string {
  if (!ctx.authorization?.value) return text;
  let out = text;
  for (const needle of needlesFor(ctx.authorization)) if (out.includes(needle)) out = out.split(needle).join("[redacted]");
  return out;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

function causeCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

function statusError(opts: { status: number; label: string; json: unknown; req: THttpRequest; headers: { get(name: string): string | null }; now: number; details: object }): SyncError {
  const { status, label, details } = opts;
  const kind = classifyHttpStatus(status);
  if (kind === "rate_limited") {
    const retryAfterMs = parseRetryAfter(opts.headers.get("retry-after"), opts.now);
    return new SyncError("UPSTREAM_RATE_LIMITED", `${label}: rate limited (HTTP 429)`, {
      status,
      details,
      ...(retryAfterMs !== null ? { retryAfterMs } : {}),
    });
  }
  if (kind === "retryable") {
    return new SyncError("UPSTREAM_RETRYABLE", `${label}: HTTP ${status}`, { status, details });
  }
  if (status === 412) {
    return new SyncError("UPSTREAM_CHANGED", `${label}: the document changed there since the version Concord wrote for (HTTP 412)`, { status, details, retryable: true });
  }
  if (status === 401 || status === 403) {
    return new SyncError("UPSTREAM_AUTH", `${label}: credentials rejected (HTTP ${status})`, { status, details });
  }
  const field = status === 400 || status === 409 || status === 422 ? opts.req.errorField?.(opts.json) : undefined;
  const suffix = field ? ` (field "${field}")` : "";
  return new SyncError("UPSTREAM_PERMANENT", `${label}: HTTP ${status}${suffix}`, {
    status,
    details,
    ...(field ? { field } : {}),
  });
}

/** The request through the context's pooled client if it has one, else `fetch`; never follows a redirect. */
async function exchange(ctx: ConnectorContext, url: URL, init: { method: string; headers: Record<string, string>; body?: string }) {
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  if (ctx.client) {
    const r = await ctx.client.request({ url, ...init, signal });
    return { response: { status: r.status, headers: r.headers }, text: r.text };
  }
  // A redirect is reported (3xx → permanent), never followed: a custom credential header
  // such as x-api-key would otherwise travel to whatever host the redirect names.
  const response = await ctx.fetch(url, { ...init, signal, redirect: "manual" });
  return { response, text: await response.text() };
}

export async function sendRequest(ctx: ConnectorContext, req: THttpRequest): Promise<THttpResponse> {
  const now = ctx.now ?? Date.now;
  const base = ctx.baseUrl.replace(/\/+$/, "");
  const query = req.query?.toString() ?? "";
  const url = new URL(`${base}${req.path}${query ? `?${query}` : ""}`);
  const shownUrl = scrubCredential(url.href, ctx);
  const label = `upstream ${req.method} ${url.pathname}`;
  // Checked on every request, not only when the connector is made: a path can never lead elsewhere.
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !hostAllowed(url, ctx.allowedHosts)) {
    throw new SyncError("UPSTREAM_PERMANENT", `${label}: ${url.host} is not an allowed host`, { details: { method: req.method, url: shownUrl, status: null, reason: "host-not-allowed" } });
  }

  const headers: Record<string, string> = { ...req.headers, accept: "application/json" };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  if (ctx.authorization) headers[ctx.authorization.header.toLowerCase()] = ctx.authorization.value;

  await ctx.beforeRequest?.();
  const started = now();
  const report = (status: number | null, excerpt: string): void => {
    try {
      ctx.onAttempt?.({ method: req.method, url: shownUrl, status, durationMs: Math.max(0, now() - started), excerpt });
    } catch {
      // A broken logger must not break the sync.
    }
  };

  let response: { status: number; headers: { get(name: string): string | null } };
  let text: string;
  try {
    ({ response, text } = await exchange(ctx, url, { method: req.method, headers, ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}) }));
  } catch (err) {
    report(null, "");
    if (isSyncError(err)) throw err;
    const timedOut = isTimeout(err);
    const code = causeCode(err);
    const message = timedOut
      ? `${label}: no answer within ${ctx.timeoutMs} ms`
      : `${label}: request failed${code ? ` (${code})` : ""}`;
    throw new SyncError("UPSTREAM_RETRYABLE", message, {
      details: { method: req.method, url: shownUrl, status: null, reason: timedOut ? "timeout" : (code ?? "network") },
    });
  }

  // Only the head that can reach the excerpt is scrubbed: a credential (URL-encoded: up to 3× as long) that
  // starts inside the excerpt ends inside this head, so it is blanked whole before the cut.
  const head = text.length > EXCERPT_CHARS * 2 ? text.slice(0, EXCERPT_CHARS + 3 * (ctx.authorization?.value.length ?? 0)) : text;
  const excerpt = excerptOf(scrubCredential(head, ctx));
  report(response.status, excerpt);
  const json = parseJson(text);
  const ok = response.status >= 200 && response.status <= 299;
  if (ok || req.accept?.includes(response.status)) return { status: response.status, json };

  const details = { method: req.method, url: shownUrl, status: response.status, excerpt };
  throw statusError({ status: response.status, label, json, req, headers: response.headers, now: now(), details });
}

/**
 * The precondition of a conditional update: the target's version (its updated-at) Concord last saw, as an
 * entity tag. A system that honours it refuses the write with 412 when the document changed since.
 */
export function ifMatch(version: Date | null | undefined): Record<string, string> | undefined {
  return version ? { "if-match": `"${version.toISOString()}"` } : undefined;
}

/** The JSON object at `value`, or a permanent error naming what was expected. */
export function expectObject(value: unknown, what: string): TDoc {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as TDoc;
  throw new SyncError("UPSTREAM_PERMANENT", `upstream response has no ${what}`, { details: { what } });
}
