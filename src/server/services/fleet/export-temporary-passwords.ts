import { inArray } from "drizzle-orm";
import { z } from "zod";
import { isSyncError, SyncError } from "~/sync/errors";
import { records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";
import { listTemporaryPasswords, revealTemporaryPassword } from "./temporary-passwords";

export const ZExportTemporaryPasswordsInput = z.object({ runId: z.uuid() });
export const ZExportTemporaryPasswordsResult = z.object({ filename: z.string(), csv: z.string(), count: z.number() });

/** One CSV cell: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * Every temporary password of a run this admin may still see, as one CSV (name, email, password), shown once:
 * each goes through the same reveal as "Show once" (emptied and audited one by one), then the export itself is
 * audited. Nothing left to show: NOT_FOUND.
 */
export async function exportTemporaryPasswords(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZExportTemporaryPasswordsInput> }): Promise<z.infer<typeof ZExportTemporaryPasswordsResult>> {
  const { engine, actor } = opts;
  const { runId } = ZExportTemporaryPasswordsInput.parse(opts.input);
  const waiting = await listTemporaryPasswords({ engine, actor, input: { runId } });
  if (!waiting.length) throw new SyncError("NOT_FOUND", "No temporary password of this run is left to show: each was shown already, or none is yours to see.", { field: "runId" });
  const people = await engine.db.select({ id: records.id, entity: records.entity, data: records.data }).from(records).where(inArray(records.id, waiting.map((w) => w.recordId)));
  // The person's name (the entity's display field) and email (its natural key), from Concord's record.
  const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  const who = new Map(
    people.map((p) => {
      const entity = engine.config.entities[p.entity];
      return [p.id, { name: text(entity ? p.data[entity.displayField] : undefined), email: text(entity ? p.data[entity.naturalKey] : undefined) }];
    }),
  );
  const lines = [["name", "email", "password"].map(cell).join(",")];
  for (const w of waiting) {
    try {
      const { label, password } = await revealTemporaryPassword({ engine, actor, input: { id: w.id } });
      const person = who.get(w.recordId);
      lines.push([person?.name || label, person?.email ?? "", password].map(cell).join(","));
    } catch (err) {
      if (!isSyncError(err) || err.code !== "NOT_FOUND") throw err; // shown meanwhile (another tab): not in this file
    }
  }
  const count = lines.length - 1;
  await writeAudit(engine.db, { actor, action: "fleet.exportTemporaryPasswords", target: `run:${runId}`, after: { count } });
  return { filename: `temporary-passwords-${runId.slice(0, 8)}.csv`, csv: `${lines.join("\r\n")}\r\n`, count };
}
