import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { bindingFor } from "~/sync/config";
import { isRecordId, normalizeImo } from "~/sync/identifiers";
import type { TDoc } from "~/sync/connectors";
import { links, records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";

export const FLEET_SOURCE = "onboarding";

export interface TVesselBundle {
  company: TDoc | null;
  vessel: TDoc;
  equipment: TDoc[];
  users: TDoc[];
}

const NEVER_LEAVES = /^(password|passwordHash|password_hash)$/i;
const scrub = (doc: TDoc): TDoc => Object.fromEntries(Object.entries(doc).filter(([k]) => !NEVER_LEAVES.test(k)));

/** The Onboarding Portal's id of a vessel given as its id there, its IMO number, or its Concord record id. */
export async function onboardingVesselId(engine: Engine, ref: string): Promise<string> {
  const byRecord = isRecordId(ref) ? ref : (await engine.db.select({ id: records.id }).from(records).where(and(eq(records.entity, "vessel"), eq(records.naturalKey, ref))).limit(1))[0]?.id;
  if (byRecord) {
    const [link] = await engine.db
      .select({ externalId: links.externalId })
      .from(links)
      .where(and(eq(links.recordId, byRecord), eq(links.system, FLEET_SOURCE)))
      .limit(1);
    if (link) return link.externalId;
    if (isRecordId(ref)) throw new SyncError("NOT_FOUND", "This vessel has no link to the Onboarding Portal.", { field: "vessel" });
  }
  // Not in Concord yet: an IMO number is looked up in the Onboarding Portal itself.
  if (/^(IMO\s*)?\d{7}$/i.test(ref)) {
    const binding = bindingFor(engine.config, "vessel", FLEET_SOURCE);
    const conn = await getConnection(engine, FLEET_SOURCE);
    const [doc] = binding ? await connectorFor(engine, conn).findBy(binding.resource, binding.fields.imoNumber!.field, normalizeImo(ref)) : [];
    if (doc) return String(doc[binding!.idField]);
  }
  return ref;
}

/**
 * One vessel's whole bundle from the Onboarding Portal (`POST sync/export/{vesselId}`): its company,
 * equipment and users. Password hashes are dropped here: they never leave the Onboarding Portal.
 */
export async function exportVesselBundle(engine: Engine, vessel: string): Promise<TVesselBundle> {
  const id = await onboardingVesselId(engine, vessel);
  const conn = await getConnection(engine, FLEET_SOURCE);
  const connector = connectorFor(engine, conn);
  if (!connector.action) throw new SyncError("BAD_REQUEST", `${conn.def.name} has no export action.`);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(id)) throw new SyncError("BAD_REQUEST", "A vessel id has only letters, digits, - and _.", { field: "vessel" });
  const raw = await connector.action(`sync/export/${id}`);
  if (!raw) throw new SyncError("NOT_FOUND", `${conn.def.name} has no vessel ${id}.`, { field: "vessel" });
  const parsed = z
    .object({ company: z.record(z.string(), z.unknown()).nullable().default(null), vessel: z.record(z.string(), z.unknown()), equipment: z.array(z.record(z.string(), z.unknown())).default([]), users: z.array(z.record(z.string(), z.unknown())).default([]) })
    .safeParse(raw);
  if (!parsed.success) throw new SyncError("UPSTREAM_PERMANENT", `${conn.def.name} answered the export with an unexpected shape.`);
  const b = parsed.data;
  return { company: b.company && scrub(b.company), vessel: scrub(b.vessel), equipment: b.equipment.map(scrub), users: b.users.map(scrub) };
}
