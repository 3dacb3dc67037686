import { redactSecrets } from "~/sync/secrets";
import type { Db } from "~/server/db";
import { auditLog } from "~/server/db/schema";
import { currentRequestId } from "~/server/log";
import type { TActor } from "./actor";

export interface WriteAuditOptions {
  actor: TActor;
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Writes one audit row; call it inside the transaction that makes the change. Secrets are redacted here. */
export async function writeAudit(db: Db, opts: WriteAuditOptions): Promise<void> {
  await db.insert(auditLog).values({
    actorKind: opts.actor.kind,
    actorId: opts.actor.kind === "user" ? opts.actor.id : null,
    actorLabel: opts.actor.label,
    action: opts.action,
    target: opts.target ?? null,
    before: opts.before === undefined ? null : redactSecrets(opts.before),
    after: opts.after === undefined ? null : redactSecrets(opts.after),
    requestId: currentRequestId() ?? null,
  });
}
