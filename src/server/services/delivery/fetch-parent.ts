import { bindingFor, type TBinding } from "~/sync/config";
import { isSyncError } from "~/sync/errors";
import { mapIn, readPath } from "~/sync/mapping";
import { normalizeValue } from "~/sync/normalize";
import type { TDoc } from "~/sync/connectors";
import type { TBlocked } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection } from "../connections/get-connection";
import { applyChange } from "../ingest/apply-change";
import { recordName } from "./references";

/** What fetching a parent Concord had not seen found. */
export type TFetchedParent =
  /** It is in Concord now (read, valid, passing the filters): the child waits for it to land in the target. */
  | { kind: "arrived"; recordId: string; name: string }
  /** It cannot come as things stand: the child is blocked, with this reason. */
  | { kind: "blocked"; blocked: TBlocked; message: string }
  /** It could not be read (the origin is down, …): the child keeps waiting and looks again later. */
  | { kind: "unread"; message: string };

/** The first filter a document fails, in words: `approvalStatus is "rejected", not "approved"`. */
function failedFilter(binding: TBinding, doc: TDoc): string {
  for (const f of binding.filters) {
    const v = readPath(doc, f.field);
    if (normalizeValue(v) !== normalizeValue(f.equals)) return `${f.field} is ${JSON.stringify(v ?? null)}, not ${JSON.stringify(f.equals)}`;
  }
  return "it does not pass the binding's filters";
}

// Children of one parent often ask together (a vessel's twenty equipment): one read per parent at a time per process.
const inFlight = new Map<string, Promise<TFetchedParent>>();

/**
 * A child reached delivery before its parent reached Concord (an equipment approved before its vessel was
 * ever read): read the parent from its origin, as a thin webhook event is read, and apply it through the
 * normal path. A parent that fails validation, does not pass the origin's filters (not approved) or is gone
 * blocks the child, naming the parent; it goes once the parent is fixed and lands (its wake-up).
 */
export function fetchParent(engine: Engine, ref: { entity: string; system: string; externalId: string; runId: string | null }): Promise<TFetchedParent> {
  const key = `${ref.system}:${ref.entity}:${ref.externalId}`;
  const going = inFlight.get(key);
  if (going) return going;
  const p = readAndApply(engine, ref).finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

async function readAndApply(engine: Engine, ref: { entity: string; system: string; externalId: string; runId: string | null }): Promise<TFetchedParent> {
  const entity = engine.config.entities[ref.entity];
  const binding = bindingFor(engine.config, ref.entity, ref.system);
  const label = entity?.label.toLowerCase() ?? ref.entity;
  const origin = engine.config.systems[ref.system]?.name ?? ref.system;
  const parent = (name: string): TBlocked["parent"] => ({ entity: ref.entity, name, recordId: null, system: ref.system, externalId: ref.externalId });
  if (!entity || !binding) return { kind: "unread", message: `waits for its ${label} (id ${ref.externalId} in ${origin}), which Concord cannot read from there` };
  let doc: TDoc | null;
  try {
    const conn = await getConnection(engine, ref.system);
    doc = await connectorFor(engine, conn).get(binding.resource, ref.externalId);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { kind: "unread", message: `waits for its ${label} (id ${ref.externalId} in ${origin}), which could not be read from ${origin}: ${why}` };
  }
  if (!doc) {
    const name = `id ${ref.externalId}`;
    return { kind: "blocked", blocked: { reason: "missing", parent: parent(name) }, message: `blocked: its ${label} (${name}) is not in ${origin}` };
  }
  const mapped = mapIn(binding, entity, doc);
  const name = recordName(entity, mapped.values, typeof mapped.values[entity.naturalKey] === "string" ? (mapped.values[entity.naturalKey] as string) : null);
  if (!mapped.included) {
    return { kind: "blocked", blocked: { reason: "not-approved", parent: parent(name) }, message: `blocked: its ${label} ${name} does not sync from ${origin} (${failedFilter(binding, doc)})` };
  }
  try {
    const result = await engine.db.transaction((tx) =>
      applyChange(tx, engine.config, { entity: ref.entity, system: ref.system, kind: "update", externalId: ref.externalId, doc, eventTime: null, runId: ref.runId }, engine.now()),
    );
    engine.bus.emit({ type: "change", recordId: result.recordId, system: ref.system, outcome: result.outcome });
    if (!result.recordId) return { kind: "blocked", blocked: { reason: "missing", parent: parent(name) }, message: `blocked: its ${label} ${name} could not be taken into Concord (${result.detail ?? result.outcome})` };
    return { kind: "arrived", recordId: result.recordId, name };
  } catch (err) {
    if (isSyncError(err) && err.code === "UNPROCESSABLE") {
      return { kind: "blocked", blocked: { reason: "invalid", parent: parent(name) }, message: `blocked: its ${label} ${name} failed validation in ${origin} (${err.message})` };
    }
    const why = err instanceof Error ? err.message : String(err);
    return { kind: "unread", message: `waits for its ${label} ${name} from ${origin}, which could not be applied yet: ${why}` };
  }
}
