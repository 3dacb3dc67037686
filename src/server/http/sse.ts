/** Server-sent events from a route handler: framing, heartbeats, Last-Event-ID, clean-up on disconnect. */

export interface SseMessage {
  id?: number | string;
  event?: string;
  data: unknown;
}

export interface SseSink {
  send(message: SseMessage): void;
  comment(text: string): void;
  /** Sets the client's Last-Event-ID without an event (an `id:` line alone), so a reconnect resumes from there. */
  mark(id: number | string): void;
  /** Ends the stream from the server side (the client reconnects with Last-Event-ID). */
  close(): void;
  readonly closed: boolean;
}

export interface SseOptions {
  /** The request's signal: the client went away. */
  signal?: AbortSignal;
  /** A `: heartbeat` comment this often keeps proxies and the browser from timing the stream out. */
  heartbeatMs?: number;
  /** The reconnect delay suggested to EventSource. */
  retryMs?: number;
  /** A client that falls this far behind is cut off; it resumes from its Last-Event-ID. */
  maxQueuedBytes?: number;
  /** The stream ends after this long (the client reconnects with Last-Event-ID and is authenticated again). */
  maxDurationMs?: number;
  /** Asked every `everyMs` whether the caller may still listen (a disabled user may not): false ends the stream. */
  recheck?: { everyMs: number; allowed: () => Promise<boolean> };
  /** Told when `start` fails (the client gets an `error` event and the stream ends). */
  onError?: (err: unknown) => void;
  /** Starts producing; returns what to undo when the stream ends (listeners, timers). */
  start(sink: SseSink): void | (() => void) | Promise<void | (() => void)>;
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

const line = (field: string, value: string) =>
  value
    .split(/\r\n|\r|\n/)
    .map((v) => `${field}: ${v}\n`)
    .join("");

export function formatSse(m: SseMessage): string {
  const data = typeof m.data === "string" ? m.data : JSON.stringify(m.data);
  return `${m.id !== undefined ? line("id", String(m.id)) : ""}${m.event ? line("event", m.event) : ""}${line("data", data)}\n`;
}

/** The id to resume after: the `Last-Event-ID` header, or `?lastEventId=` for EventSource polyfills. */
export function lastEventIdFrom(req: Request): number | null {
  const raw = req.headers.get("last-event-id") ?? new URL(req.url).searchParams.get("lastEventId");
  if (raw === null || !/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

export function sseResponse(opts: SseOptions): Response {
  const encoder = new TextEncoder();
  const maxQueued = opts.maxQueuedBytes ?? 4 * 1024 * 1024;
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let rechecking: ReturnType<typeof setInterval> | null = null;
  let ending: ReturnType<typeof setTimeout> | null = null;
  let undo: (() => void) | null = null;
  let closed = false;

  const cleanUp = () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    if (rechecking) clearInterval(rechecking);
    if (ending) clearTimeout(ending);
    opts.signal?.removeEventListener("abort", cleanUp);
    const u = undo;
    undo = null;
    u?.();
    try {
      controller?.close();
    } catch {
      // already closed or cancelled
    }
  };

  const write = (text: string) => {
    if (closed || !controller) return;
    if ((controller.desiredSize ?? 0) < -maxQueued) return cleanUp();
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      cleanUp();
    }
  };

  const sink: SseSink = {
    send: (m) => write(formatSse(m)),
    comment: (text) => write(`: ${text}\n\n`),
    mark: (id) => write(line("id", String(id)) + "\n"),
    close: cleanUp,
    get closed() {
      return closed;
    },
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (opts.signal?.aborted) return cleanUp();
        opts.signal?.addEventListener("abort", cleanUp, { once: true });
        write(`retry: ${opts.retryMs ?? 3000}\n\n`);
        heartbeat = setInterval(() => sink.comment("heartbeat"), opts.heartbeatMs ?? 15_000);
        if (opts.maxDurationMs) ending = setTimeout(cleanUp, opts.maxDurationMs);
        const recheck = opts.recheck;
        if (recheck) {
          let asking = false;
          rechecking = setInterval(() => {
            if (asking) return;
            asking = true;
            recheck
              .allowed()
              .then((ok) => (ok ? undefined : cleanUp()), () => undefined)
              .finally(() => (asking = false));
          }, recheck.everyMs);
        }
        void Promise.resolve()
          .then(() => opts.start(sink))
          .then(
            (u) => {
              if (typeof u !== "function") return;
              if (closed) u();
              else undo = u;
            },
            (err: unknown) => {
              opts.onError?.(err);
              write(formatSse({ event: "stream-error", data: { message: "The event stream failed; reconnect to resume." } }));
              cleanUp();
            },
          );
      },
      cancel: cleanUp,
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
