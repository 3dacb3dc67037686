import { eq } from "drizzle-orm";
import { z } from "zod";
import { bindingFor, bindingsOf } from "~/sync/config";
import { isSyncError, SyncError } from "~/sync/errors";
import { mapIn, sameValue } from "~/sync/mapping";
import { links, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { ZRecordIdInput } from "./get-record-detail";
import { isLive } from "../linking/tombstone";

export const ZLiveRead = z.object({
  system: z.string(),
  externalId: z.string(),
  /** ok: read; missing: the system answers that the document is not there; error: it could not be read. */
  status: z.enum(["ok", "missing", "error"]),
  error: z.string().nullable(),
  /** The document's values, mapped to canonical field names (only the fields this system carries). */
  values: z.record(z.string(), z.unknown()),
  /** Canonical fields whose value there differs from Concord's. */
  differs: z.array(z.string()),
  readAt: z.date(),
});
export const ZLiveReadResult = z.object({ recordId: z.string(), reads: z.array(ZLiveRead) });
export type TLiveRead = z.infer<typeof ZLiveRead>;

/**
 * Reads the record's document from every system it is linked in, right now, through each system's
 * connector (within its rate limit), and says which fields differ from Concord's values. It only
 * reads: nothing is stored or sent. A system that fails is reported, the others still shown.
 */
export async function readRecordLive({ engine, input }: { engine: Engine; input: z.input<typeof ZRecordIdInput> }) {
  const { id } = ZRecordIdInput.parse(input);
  const [record] = await engine.db.select().from(records).where(eq(records.id, id)).limit(1);
  const entity = record ? engine.config.entities[record.entity] : undefined;
  if (!record || !entity) throw new SyncError("NOT_FOUND", `No record with id ${id}.`);
  const rows = await engine.db.select().from(links).where(eq(links.recordId, id));
  // In configuration order, like the record page's columns; links whose document was deleted are not read.
  const held = bindingsOf(engine.config, entity.key).flatMap((b) => rows.filter((l) => l.system === b.system && isLive(l)));
  const reads = await Promise.all(
    held.map(async (l): Promise<TLiveRead> => {
      const binding = bindingFor(engine.config, entity.key, l.system)!;
      const base = { system: l.system, externalId: l.externalId, values: {}, differs: [] as string[], error: null };
      try {
        const conn = await getConnection(engine, l.system);
        const connector = connectorFor(engine, conn);
        const doc = await connector.get(binding.resource, l.externalId);
        if (!doc) return { ...base, status: "missing", readAt: engine.now() };
        const values = Object.fromEntries(Object.entries(mapIn(binding, entity, doc).values).filter(([k]) => binding.fields[k]));
        const differs = Object.keys(values).filter((k) => !sameValue(values[k], record.data[k] ?? null));
        return { ...base, status: "ok", values, differs, readAt: engine.now() };
      } catch (err) {
        const message = isSyncError(err) ? `${err.message}${err.status ? ` (HTTP ${err.status})` : ""}` : "could not read it (see the server log)";
        if (!isSyncError(err)) engine.log.error({ err, recordId: id, system: l.system }, "live read failed");
        return { ...base, status: "error", error: message.slice(0, 500), readAt: engine.now() };
      }
    }),
  );
  return { recordId: id, reads };
}
