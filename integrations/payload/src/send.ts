import { webhookHeaders } from "./sign.js";

/** The part of `fetch` used here; the global `fetch` fits. */
export type FetchLike = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; text?: () => Promise<string> }>;

export interface DeliveryOptions {
  url: string;
  secret: string;
  fetch: FetchLike;
  /** Per attempt. */
  timeoutMs: number;
  /** Wait before the one retry. */
  retryDelayMs: number;
  now: () => number;
}

export type DeliveryResult =
  | { ok: true; status: number; attempts: number }
  | { ok: false; attempts: number; status: number | null; responseText: string | null; cause: unknown };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** One POST, given up after `timeoutMs` even if the fetch ignores its abort signal. */
async function attempt(opts: DeliveryOptions, id: string, body: string): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AttemptTimeout(opts.timeoutMs));
    }, opts.timeoutMs);
  });
  try {
    const run = async () => {
      const headers = { "content-type": "application/json", ...webhookHeaders(opts.secret, id, Math.floor(opts.now() / 1000), body) };
      const res = await opts.fetch(opts.url, { method: "POST", headers, body, signal: controller.signal });
      // Read the (small) answer so the connection is released and a refusal can be logged.
      const text = res.text ? await res.text().catch(() => "") : "";
      return { status: res.status, text };
    };
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

/**
 * Sends one signed event: 2xx is done (202 stored, 200 a repeat of a `webhook-id` Concord already
 * has); a network error, timeout, 408, 429 or 5xx is retried once after `retryDelayMs` with the same
 * `webhook-id` (re-signed with a fresh timestamp); any other answer is final.
 */
export async function deliver(opts: DeliveryOptions, id: string, body: string): Promise<DeliveryResult> {
  let last: DeliveryResult = { ok: false, attempts: 0, status: null, responseText: null, cause: null };
  for (let n = 1; n <= 2; n++) {
    if (n > 1) await sleep(opts.retryDelayMs);
    try {
      const res = await attempt(opts, id, body);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, attempts: n };
      last = { ok: false, attempts: n, status: res.status, responseText: res.text.slice(0, 500), cause: null };
      if (!retryable(res.status)) return last;
    } catch (err) {
      last = { ok: false, attempts: n, status: null, responseText: null, cause: err };
    }
  }
  return last;
}
