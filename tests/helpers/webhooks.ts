import { randomUUID } from "node:crypto";
import { signWebhook } from "~/sync/signature";

export interface PostWebhookOptions {
  url: string;
  system: string;
  secret: string;
  body: unknown;
  id?: string;
  timestamp?: number;
  headers?: Record<string, string>;
  rawBody?: string;
}

/** Sends a Standard Webhooks request to Concord's intake, signed as a system would sign it. */
export async function postWebhook(o: PostWebhookOptions): Promise<Response> {
  const body = o.rawBody ?? JSON.stringify(o.body);
  const id = o.id ?? `msg_${randomUUID()}`;
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = signWebhook({ secret: o.secret, id, timestamp, body });
  return fetch(`${o.url}/api/webhooks/${o.system}`, {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature, ...o.headers },
    body,
  });
}
