import { and, desc, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { shownOnceSecrets } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";

export const ZTemporaryPasswordView = z.object({
  id: z.uuid(),
  recordId: z.uuid(),
  entity: z.string(),
  system: z.string(),
  label: z.string(),
  runId: z.uuid().nullable(),
  createdAt: z.date(),
});
export type TTemporaryPasswordView = z.infer<typeof ZTemporaryPasswordView>;

export const ZListTemporaryPasswordsInput = z.object({ runId: z.uuid().optional() });

/** A temporary password not revealed within this many days is emptied (the tick does it; older ones are never shown). */
const TEMPORARY_PASSWORD_DAYS = 7;
const fresh = () => sql`${shownOnceSecrets.createdAt} > now() - make_interval(days => ${TEMPORARY_PASSWORD_DAYS})`;

/**
 * Who may reveal it: the admin who ran the sync from the console; any admin when no admin did — a
 * webhook, a schedule, an API key or the CLI made the user (their "who" is no one who could sign in).
 */
const mine = (actor: TActor) =>
  or(
    isNull(shownOnceSecrets.forUserId),
    isNull(shownOnceSecrets.runId),
    eq(shownOnceSecrets.forUserId, actor.label),
    sql`exists (select 1 from runs r where r.id = ${shownOnceSecrets.runId} and r.trigger <> 'admin')`,
  );

/** Empties the boxes of temporary passwords nobody revealed in time (called by the tick). */
export async function expireTemporaryPasswords(engine: Engine): Promise<number> {
  const rows = await engine.db
    .update(shownOnceSecrets)
    .set({ box: null })
    .where(and(isNotNull(shownOnceSecrets.box), sql`not (${fresh()})`))
    .returning({ id: shownOnceSecrets.id });
  return rows.length;
}

/** Temporary passwords still waiting to be shown (never the values), for this admin. */
export async function listTemporaryPasswords(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZListTemporaryPasswordsInput> }): Promise<TTemporaryPasswordView[]> {
  const input = ZListTemporaryPasswordsInput.parse(opts.input);
  const rows = await opts.engine.db
    .select()
    .from(shownOnceSecrets)
    .where(and(isNotNull(shownOnceSecrets.box), fresh(), mine(opts.actor), input.runId ? eq(shownOnceSecrets.runId, input.runId) : undefined))
    .orderBy(desc(shownOnceSecrets.createdAt))
    .limit(200);
  return rows.map((r) => ZTemporaryPasswordView.parse(r));
}

export const ZRevealTemporaryPasswordInput = z.object({ id: z.uuid() });

/**
 * Shows a temporary password once: the box is emptied in the same statement that reads it, so a second
 * reveal (or a second tab) finds nothing. Audited without the value.
 */
export async function revealTemporaryPassword(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZRevealTemporaryPasswordInput> }): Promise<{ label: string; password: string }> {
  const { engine, actor } = opts;
  const input = ZRevealTemporaryPasswordInput.parse(opts.input);
  return engine.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(shownOnceSecrets)
      .where(and(eq(shownOnceSecrets.id, input.id), isNotNull(shownOnceSecrets.box), fresh(), mine(actor)))
      .for("update")
      .limit(1);
    if (!row?.box) throw new SyncError("NOT_FOUND", "This temporary password was already shown, has expired, or is not yours to see.", { field: "id" });
    await tx
      .update(shownOnceSecrets)
      .set({ box: null, revealedAt: sql`now()`, revealedBy: actor.label })
      .where(eq(shownOnceSecrets.id, row.id));
    await writeAudit(tx, { actor, action: "fleet.revealTemporaryPassword", target: `record:${row.recordId}`, after: { system: row.system, label: row.label } });
    return { label: row.label, password: engine.secrets.decrypt(row.box) };
  });
}
