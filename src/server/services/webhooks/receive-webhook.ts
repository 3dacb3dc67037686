import { z } from "zod";
import { bindingsOf } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { mapIn } from "~/sync/mapping";
import { verifyWebhook } from "~/sync/signature";
import { webhookEvents } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { getConnection } from "../connections/get-connection";
import { validateCanonical } from "../ingest/apply-change";

/** The default envelope: `{type: "<entity>.created|updated|deleted", timestamp, data}`. */
export const ZEnvelope = z.object({
  type: z.string().regex(/^[a-z][a-z0-9_-]*\.(created|updated|deleted)$/, "must look like <entity>.created|updated|deleted"),
  timestamp: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type TEnvelope = z.infer<typeof ZEnvelope>;

export interface TReceived {
  status: 200 | 202;
  duplicate: boolean;
  eventId: number | null;
}

/**
 * Webhook intake: unknown or disabled system 404; signature and timestamp 401 (never saying which part
 * was wrong); malformed JSON 400; a payload the binding cannot map 422 naming the field. Then the raw
 * event is stored durably (a `webhook-id` already seen is a 200 that does nothing) before any 2xx.
 */
export async function receiveWebhook(engine: Engine, opts: { system: string; body: Uint8Array; headers: Headers }): Promise<TReceived> {
  if (!engine.config.systems[opts.system]) throw new SyncError("NOT_FOUND", "Unknown system.");
  const conn = await getConnection(engine, opts.system);
  if (!conn.enabled) throw new SyncError("NOT_FOUND", "Unknown system.");
  if (opts.body.byteLength > engine.webhookMaxBytes) throw new SyncError("PAYLOAD_TOO_LARGE", `Body over ${engine.webhookMaxBytes} bytes.`);

  const headers = {
    id: opts.headers.get("webhook-id") ?? undefined,
    timestamp: opts.headers.get("webhook-timestamp") ?? undefined,
    signature: opts.headers.get("webhook-signature") ?? undefined,
  };
  const verdict = verifyWebhook({ secrets: conn.webhookSecrets, headers, body: opts.body, now: () => engine.now().getTime() });
  if (!verdict.ok) {
    engine.log.warn({ system: opts.system, reason: verdict.reasonForLogs }, "webhook refused");
    throw new SyncError("UNAUTHORIZED", "Invalid webhook signature.");
  }

  const text = new TextDecoder().decode(opts.body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SyncError("BAD_REQUEST", "The body is not valid JSON.");
  }
  const envelope = ZEnvelope.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0]!;
    throw new SyncError("BAD_REQUEST", `Malformed envelope: ${issue.path.join(".") || "body"} ${issue.message}.`, { field: issue.path.join(".") });
  }
  checkMappable(engine, opts.system, envelope.data);

  const inserted = await engine.db
    .insert(webhookEvents)
    .values({ system: opts.system, webhookId: headers.id!, body: text })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (inserted.length === 0) return { status: 200, duplicate: true, eventId: null };
  engine.bus.wake();
  return { status: 202, duplicate: false, eventId: inserted[0]!.id };
}

/** 422 when the binding cannot map the payload: unknown entity, no id, or a field that breaks the schema. */
function checkMappable(engine: Engine, system: string, envelope: TEnvelope): void {
  const entityKey = envelope.type.split(".")[0]!;
  const binding = bindingsOf(engine.config, entityKey).find((b) => b.system === system);
  const entity = engine.config.entities[entityKey];
  if (!binding || !entity) throw new SyncError("UNPROCESSABLE", `No binding for "${entityKey}" in ${system}.`, { field: "type" });
  const id = envelope.data[binding.idField];
  if (id === undefined || id === null || id === "") throw new SyncError("UNPROCESSABLE", `data.${binding.idField} is required.`, { field: `data.${binding.idField}` });
  if (envelope.type.endsWith(".deleted")) return;
  const mapped = mapIn(binding, entity, envelope.data);
  try {
    validateCanonical(entity, mapped.values, true);
  } catch (err) {
    if (err instanceof SyncError && err.field) {
      const systemField = binding.fields[err.field]?.field ?? err.field;
      throw new SyncError("UNPROCESSABLE", `data.${systemField}: ${err.message}`, { field: `data.${systemField}` });
    }
    throw err;
  }
}
