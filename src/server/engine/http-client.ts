import { Agent, request } from "undici";
import type { THttpClient } from "~/sync/connectors/types";

/**
 * The engine's HTTP client: `undici.request` on one keep-alive pool per process. It costs less per request than
 * WHATWG `fetch` (no Request/Response objects or web streams), which the delivery path makes one or two of per
 * delivery. Redirects are not followed (undici.request never does). A network failure is thrown as fetch throws
 * one ("fetch failed" with the socket error as its cause), so callers classify both the same way.
 */
export function createHttpClient(): THttpClient {
  const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 10_000, pipelining: 1 });
  return {
    async request({ url, method, headers, body, signal }) {
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(url, { method: method as "GET", headers, body, signal, dispatcher });
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        throw new Error("fetch failed", { cause: err });
      }
      let text: string;
      try {
        text = await res.body.text();
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        throw new Error("fetch failed", { cause: err });
      }
      const h = res.headers;
      return {
        status: res.statusCode,
        headers: {
          get(name: string) {
            const v = h[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
          },
        },
        text,
      };
    },
  };
}

const globalForHttp = globalThis as unknown as { __concordHttp?: THttpClient };

/** One client per process (Next loads route bundles as separate module instances). */
export function sharedHttpClient(): THttpClient {
  return (globalForHttp.__concordHttp ??= createHttpClient());
}
