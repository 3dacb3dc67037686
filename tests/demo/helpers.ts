// Shared helpers for the sample-systems tests (real HTTP on random ports).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface ApiClient {
  (method: string, path: string, body?: unknown, init?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<JsonResponse>;
}

/** `api("GET", "industries?page=2")` → `${base}/${system}/api/industries?page=2` with Bearer auth. */
export function apiClient(base: string, system: string, apiKey = "sample-key"): ApiClient {
  return async (method, path, body, init) => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, ...init?.headers };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${base}/${system}/api/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal: init?.signal,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
}

export async function getJson(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, init);
  return res.json();
}

export async function putJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  json: any;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** answer the next `n` requests with 500 (they are not recorded) */
  failNext(n: number): void;
  attempts: number;
  close(): Promise<void>;
}

/** A tiny webhook receiver that records every successful POST. */
export async function startReceiver(): Promise<Receiver> {
  let failing = 0;
  const state = {
    received: [] as ReceivedWebhook[],
    attempts: 0,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.attempts++;
      if (failing > 0) {
        failing--;
        res.writeHead(500).end();
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      state.received.push({ path: req.url ?? "", headers, body, json: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received: state.received,
    get attempts() {
      return state.attempts;
    },
    failNext(n) {
      failing = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
