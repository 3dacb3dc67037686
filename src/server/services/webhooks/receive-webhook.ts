import { bindingsOf, systemOf, type TBinding } from "~/sync/config";
import { retainedBody } from "~/sync/retained-fields";
import { readEnvelope, type TEnvelope, type TEnvelopeKind } from "~/sync/envelope";
import { isSyncError, SyncError } from "~/sync/errors";
import { mapIn } from "~/sync/mapping";
import { verifyWebhook } from "~/sync/signature";
import { runText } from "~/server/db";
import { webhookEvents } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { cachedConnection, forgetConnection, getConnection, type TConnection } from "../connections/get-connection";
import { validateCanonical } from "../ingest/apply-change";
import { wakeOnCommit } from "~/server/db/wake-on-commit";

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
export async function receiveWebhook(engine: Engine, opts: TIntake): Promise<TReceived> {
  if (!systemOf(engine.config, opts.system)) throw new SyncError("NOT_FOUND", "Unknown system.");
  // The connection this process read last, if any: its insert only happens while the systems row is still
  // the version it was read from. A refusal is never made on a cached read: the request is checked again
  // on a fresh one (a secret may have been rotated, the system disabled).
  const cached = cachedConnection(engine, opts.system);
  if (cached?.conn.enabled) {
    try {
      const received = await receiveOn(engine, opts, cached.conn, cached.version);
      if (received) return received;
    } catch (err) {
      if (!isSyncError(err)) throw err;
    }
    forgetConnection(engine, opts.system);
  }
  return (await receiveOn(engine, opts, await getConnection(engine, opts.system), null))!;
}

type TIntake = {
  system: string;
  body: Uint8Array;
  headers: Headers;
  /** Called once the signature is verified, before anything is stored (the system's rate budget): throws to refuse. */
  admit?: () => Promise<void>;
};

/** Checks and stores on one connection; `null` when `version` (a cached read's) is no longer current. */
async function receiveOn(engine: Engine, opts: TIntake, conn: TConnection, version: string | null): Promise<TReceived | null> {
  if (!conn.enabled) throw new SyncError("NOT_FOUND", "Unknown system.");
  if (opts.body.byteLength > engine.webhookMaxBytes) throw new SyncError("PAYLOAD_TOO_LARGE", `Body over ${engine.webhookMaxBytes} bytes.`);

  const headers = {
    id: opts.headers.get("webhook-id") ?? undefined,
    timestamp: opts.headers.get("webhook-timestamp") ?? undefined,
    signature: opts.headers.get("webhook-signature") ?? undefined,
  };
  const verdict = verifyWebhook({ secrets: conn.webhookSecrets, headers, body: opts.body, now: () => engine.now().getTime() });
  if (!verdict.ok) {
    if (!version) engine.log.warn({ system: opts.system, reason: verdict.reasonForLogs }, "webhook refused");
    throw new SyncError("UNAUTHORIZED", "Invalid webhook signature.");
  }
  await opts.admit?.();

  const text = new TextDecoder().decode(opts.body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SyncError("BAD_REQUEST", "The body is not valid JSON.");
  }
  const kind = envelopeKind(engine, opts.system);
  const envelope = envelopeOf(engine, opts.system, json, kind);
  const binding = checkMappable(engine, opts.system, envelope);
  // Only what the binding reads is kept: a field it never maps (a password hash) is never stored.
  const row = { system: opts.system, webhookId: headers.id!, body: retainedBody(kind, json as Record<string, unknown>, binding) };
  if (version) {
    const stored = await storeIfCurrent(engine, row, version);
    if (!stored.current) return null;
    return stored.id === null ? duplicate : accepted(engine, stored.id);
  }
  const inserted = await engine.db.insert(webhookEvents).values(row).onConflictDoNothing().returning({ id: webhookEvents.id });
  return inserted.length === 0 ? duplicate : accepted(engine, inserted[0]!.id);
}

const duplicate: TReceived = { status: 200, duplicate: true, eventId: null };

/** A stored event: the workers look in the inbox now (the insert committed on its own). */
function accepted(engine: Engine, id: number): TReceived {
  wakeOnCommit(engine.db, "inbox");
  return { status: 202, duplicate: false, eventId: id };
}

/**
 * Stores the event only if the systems row is still the version the secrets were read from: one
 * statement, where reading the row and then inserting would be two. `current: false` stored nothing.
 * Every accepted webhook runs it, so it is a fixed text, prepared once per connection (`runText`).
 */
async function storeIfCurrent(engine: Engine, row: { system: string; webhookId: string; body: string }, version: string): Promise<{ current: boolean; id: number | null }> {
  const [r] = await runText<{ current: boolean; id: number | string | null }>(engine.db, STORE_IF_CURRENT, [row.system, version, row.webhookId, row.body]);
  return { current: r?.current === true, id: r?.id == null ? null : Number(r.id) };
}

const STORE_IF_CURRENT = `with s as (select 1 from systems where key = $1 and xmin::text = $2),
  ins as (insert into webhook_events (system, webhook_id, body) select $1, $3, $4 from s on conflict do nothing returning id)
  select exists (select 1 from s) as current, (select id from ins) as id`;

/** The envelope a system's webhooks come in: standard, or e.g. a Payload site's own hook payload. */
const envelopeKind = (engine: Engine, system: string): TEnvelopeKind => systemOf(engine.config, system)?.webhookEnvelope ?? "standard";

/** The body read in the system's envelope; 400 if malformed. */
export function envelopeOf(engine: Engine, system: string, json: unknown, kind = envelopeKind(engine, system)): TEnvelope {
  const entityOf = (collection: string) => engine.config.bindings.find((b) => b.system === system && b.resource === collection)?.entity ?? null;
  const read = readEnvelope(kind, json, entityOf);
  if (!read.ok) throw new SyncError("BAD_REQUEST", `Malformed envelope: ${read.field} ${read.message}.`, { field: read.field });
  return read.envelope;
}

/** 422 when the binding cannot map the payload: unknown entity, no id, or a field that breaks the schema. */
function checkMappable(engine: Engine, system: string, envelope: TEnvelope): TBinding {
  const entityKey = envelope.type.split(".")[0]!;
  const binding = bindingsOf(engine.config, entityKey).find((b) => b.system === system);
  const entity = engine.config.entities[entityKey];
  if (!binding || !entity) throw new SyncError("UNPROCESSABLE", `No binding for "${entityKey}" in ${system}.`, { field: "type" });
  const id = envelope.data[binding.idField];
  if (id === undefined || id === null || id === "") throw new SyncError("UNPROCESSABLE", `data.${binding.idField} is required.`, { field: `data.${binding.idField}` });
  if (envelope.type.endsWith(".deleted")) return binding;
  const mapped = mapIn(binding, entity, envelope.data);
  // A field Concord generates when it is empty (a QR code) is filled when the event is applied.
  for (const f of Object.keys(entity.generate ?? {})) if (mapped.values[f] === null || mapped.values[f] === "") delete mapped.values[f];
  try {
    validateCanonical(entity, mapped.values, true);
  } catch (err) {
    if (err instanceof SyncError && err.field) {
      const systemField = binding.fields[err.field]?.field ?? err.field;
      throw new SyncError("UNPROCESSABLE", `data.${systemField}: ${err.message}`, { field: `data.${systemField}` });
    }
    throw err;
  }
  return binding;
}
