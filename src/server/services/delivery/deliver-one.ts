import { eq } from "drizzle-orm";
import { bindingFor } from "~/sync/config";
import type { Connector, TConnectorAttempt, TDoc } from "~/sync/connectors";
import { isSyncError, SyncError } from "~/sync/errors";
import { idKey, mapIn, type TValues } from "~/sync/mapping";
import { planDelivery, type TDeliveryAction } from "~/sync/plan";
import { records } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection, type TConnection } from "../connections/get-connection";
import { linksOf } from "../ingest/record-store";
import type { TClaimed } from "./claim";
import { recordFailure, recordSuccess, type TSuccess } from "./finish-delivery";
import { acquireRequestSlot } from "./rate-limit";

/**
 * Sends one claimed delivery. It reads the record's current state now (a replay never sends stale
 * data), decides create / update / delete / archive / nothing, and before a create looks the record
 * up in the target by natural key, so a create that timed out earlier never makes a duplicate.
 * No database transaction is held open across the HTTP calls.
 */
export async function deliverOne(engine: Engine, claimed: TClaimed): Promise<void> {
  const attempts: TConnectorAttempt[] = [];
  const started = Date.now();
  let conn: TConnection | null = null;
  try {
    const [record] = await engine.db.select().from(records).where(eq(records.id, claimed.record_id)).limit(1);
    const entity = engine.config.entities[claimed.entity];
    const binding = bindingFor(engine.config, claimed.entity, claimed.system);
    if (!record || !entity || !binding) {
      return await recordSuccess(engine, claimed, { action: "noop", detail: "nothing to deliver: record or binding gone", attempts, started });
    }
    conn = await getConnection(engine, claimed.system);
    const allLinks = await linksOf(engine.db, record.id);
    const link = allLinks.find((l) => l.system === claimed.system);
    const values: TValues = { ...record.data };
    for (const l of allLinks) values[idKey(l.system)] = l.externalId;
    const liveLink = link && !(link.lastValues && "$deleted" in link.lastValues) ? { externalId: link.externalId, lastValues: link.lastValues } : null;
    const plan = planDelivery({ entity, binding, values, deleted: !!record.deletedAt, held: Object.keys(record.held), link: liveLink });
    const connector = connectorFor(engine, conn, (a) => attempts.push(a));
    const rate = () => acquireRequestSlot(engine, claimed.system, conn!.rateLimitPerSecond);
    const success = await execute({ plan, connector, rate, resource: binding.resource, idField: binding.idField, naturalKeyField: binding.fields[entity.naturalKey]!.field, values, entityKey: entity.naturalKey, mapFound: (doc) => mapIn(binding, entity, doc).values, replan: (found) => planDelivery({ entity, binding, values, deleted: false, held: Object.keys(record.held), link: found }) });
    await recordSuccess(engine, claimed, { ...success, attempts, started });
  } catch (err) {
    const error = isSyncError(err) ? err : new SyncError("INTERNAL", err instanceof Error ? err.message : String(err));
    if (!isSyncError(err)) engine.log.error({ err, deliveryId: claimed.id }, "delivery failed unexpectedly");
    await recordFailure(engine, claimed, { error, attempts, started, schedule: conn?.retrySchedule ?? null });
  }
}

interface ExecuteOpts {
  plan: TDeliveryAction;
  connector: Connector;
  rate: () => Promise<void>;
  resource: string;
  idField: string;
  naturalKeyField: string;
  entityKey: string;
  values: TValues;
  mapFound: (doc: TDoc) => TValues;
  replan: (found: { externalId: string; lastValues: TValues }) => TDeliveryAction;
}

async function execute(o: ExecuteOpts): Promise<Omit<TSuccess, "attempts" | "started">> {
  const { plan, connector, resource } = o;
  switch (plan.kind) {
    case "noop":
      return { action: "noop", detail: plan.reason };
    case "update":
    case "archive":
      await o.rate();
      await connector.update(resource, plan.externalId, plan.body);
      return { action: plan.kind, externalId: plan.externalId, sent: plan.sent };
    case "delete":
      await o.rate();
      await connector.remove(resource, plan.externalId);
      return { action: "delete", externalId: plan.externalId, deleted: true };
    case "create": {
      const key = o.values[o.entityKey];
      await o.rate();
      const [found] = key == null ? [] : await connector.findBy(resource, o.naturalKeyField, String(key));
      if (found) {
        const externalId = String(found[o.idField]);
        const lastValues = o.mapFound(found);
        const again = o.replan({ externalId, lastValues });
        if (again.kind === "update") {
          await o.rate();
          await connector.update(resource, externalId, again.body);
          return { action: "update", externalId, sent: { ...lastValues, ...again.sent }, linkedBy: "natural-key" };
        }
        return { action: "noop", externalId, sent: lastValues, linkedBy: "natural-key", detail: "found by natural key, already in agreement" };
      }
      await o.rate();
      const doc = await connector.create(resource, plan.body);
      const externalId = doc[o.idField];
      if (externalId === undefined || externalId === null) throw new SyncError("UPSTREAM_PERMANENT", `the created document has no "${o.idField}"`);
      return { action: "create", externalId: String(externalId), sent: plan.sent, created: true };
    }
  }
}
