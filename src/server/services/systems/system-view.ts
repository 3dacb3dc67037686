import { z } from "zod";
import { maskSecret } from "~/sync/secrets";
import { ZRetrySchedule, DEFAULT_RETRY_SCHEDULE } from "~/sync/retry";
import type { TSystemDef } from "~/sync/config";
import type { TSystemRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";

export const DELIVERY_STATUSES = ["pending", "in_flight", "retrying", "succeeded", "dead", "superseded", "cancelled"] as const;
export const ZDeliveryStatus = z.enum(DELIVERY_STATUSES);
export type TDeliveryStatus = z.infer<typeof ZDeliveryStatus>;
export type TDeliveryCounts = Record<TDeliveryStatus, number>;

export const ZSystemKey = z.string().trim().min(1).max(100);

/** What leaves the server about a system: never a secret, only whether it is set and a mask. */
export const ZSystemView = z.object({
  key: z.string(),
  name: z.string(),
  connector: z.string(),
  /** The URL in effect (an env override wins over the stored one). */
  baseUrl: z.string(),
  /** The URL stored in the database, which `update` edits. */
  storedBaseUrl: z.string(),
  enabled: z.boolean(),
  rateLimitPerSecond: z.number(),
  retrySchedule: ZRetrySchedule,
  timeoutMs: z.number(),
  pausedUntil: z.date().nullable(),
  authSet: z.boolean(),
  /** maskSecret of the credential in effect, e.g. "••••abcd"; "" when none. */
  authMasked: z.string(),
  /** Webhook secrets stored in the database (2 during a rotation); an env secret is counted in fromEnv. */
  webhookSecretsCount: z.number(),
  /** A stored secret could not be decrypted (the encryption key changed): set it again. */
  secretsUnreadable: z.boolean(),
  fromEnv: z.object({ url: z.boolean(), auth: z.boolean(), webhookSecret: z.boolean() }),
  deliveries: z.record(ZDeliveryStatus, z.number()),
  updatedAt: z.date(),
});
export type TSystemView = z.infer<typeof ZSystemView>;

export function emptyCounts(): TDeliveryCounts {
  return Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as TDeliveryCounts;
}

function tryDecrypt(engine: Engine, token: string | null): { value: string | null; ok: boolean } {
  if (!token) return { value: null, ok: true };
  try {
    return { value: engine.secrets.decrypt(token), ok: true };
  } catch {
    return { value: null, ok: false };
  }
}

/** Reads the stored webhook secrets (newest first); [] when none. Throws if they cannot be decrypted. */
export function readStoredWebhookSecrets(engine: Engine, row: TSystemRow): string[] {
  if (!row.webhookSecretsEncrypted) return [];
  const parsed = JSON.parse(engine.secrets.decrypt(row.webhookSecretsEncrypted)) as unknown;
  return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === "string") : [];
}

/**
 * Builds the view from the row without throwing on an undecryptable secret, so the Systems page
 * still opens (and the secret can be set again) after the encryption key changed.
 */
export function toSystemView(engine: Engine, def: TSystemDef, row: TSystemRow, counts: TDeliveryCounts): TSystemView {
  const o = engine.overrides[def.key] ?? {};
  const auth = tryDecrypt(engine, row.authEncrypted);
  const secrets = tryDecrypt(engine, row.webhookSecretsEncrypted);
  let webhookSecretsCount = 0;
  let secretsOk = secrets.ok;
  if (secrets.value !== null) {
    try {
      const parsed = JSON.parse(secrets.value) as unknown;
      webhookSecretsCount = Array.isArray(parsed) ? parsed.length : 0;
    } catch {
      secretsOk = false;
    }
  }
  const authInEffect = o.auth ?? auth.value;
  return {
    key: def.key,
    name: def.name,
    connector: def.connector,
    baseUrl: (o.url ?? row.baseUrl).replace(/\/+$/, ""),
    storedBaseUrl: row.baseUrl,
    enabled: row.enabled,
    rateLimitPerSecond: row.rateLimitPerSecond,
    retrySchedule: row.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    timeoutMs: row.timeoutMs,
    pausedUntil: row.pausedUntil,
    authSet: !!o.auth || row.authEncrypted !== null,
    authMasked: authInEffect ? maskSecret(authInEffect) : row.authEncrypted ? "••••" : "",
    webhookSecretsCount,
    secretsUnreadable: !auth.ok || !secretsOk,
    fromEnv: { url: !!o.url, auth: !!o.auth, webhookSecret: !!o.webhookSecret },
    deliveries: counts,
    updatedAt: row.updatedAt,
  };
}

/** The settings an admin edits, for audit before → after (no secrets in here by construction). */
export function auditableSettings(row: TSystemRow) {
  return {
    baseUrl: row.baseUrl,
    rateLimitPerSecond: row.rateLimitPerSecond,
    retrySchedule: row.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    timeoutMs: row.timeoutMs,
    enabled: row.enabled,
  };
}
