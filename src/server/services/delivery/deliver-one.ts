import { randomBytes } from "node:crypto";
import { bindingFor, type TBinding, type TEntity } from "~/sync/config";
import type { Connector, TConnectorAttempt, TDoc } from "~/sync/connectors";
import { isSyncError, SyncError } from "~/sync/errors";
import { docTime, idKey, type TValues } from "~/sync/mapping";
import { planDelivery, type TDeliveryAction } from "~/sync/plan";
import { transforms } from "~/sync/transforms";
import type { Engine } from "~/server/engine/context";
import { connectorFor } from "../connections/connector-for";
import { getConnection, type TConnection } from "../connections/get-connection";
import { prepareDocs } from "../ingest/prepare";
import { findLink } from "../ingest/record-store";
import type { TClaimed, TDeliveryState } from "./claim";
import type { TFoundByKey } from "./find-batch";
import { noteSent } from "./echo-ledger";
import { recordFailure, recordSuccess, type TSuccess } from "./finish-delivery";
import { recordWaiting } from "./record-waiting";
import { takeInChanged } from "./take-in-changed";
import { translateReferences, WaitingForParent } from "./references";
import { isLive } from "../linking/tombstone";

/**
 * Sends one claimed delivery with its record's current state, read by the claim (a replay never sends stale
 * data; `null`: the record is gone). It decides create / update / delete / archive / nothing, and before a create looks the record
 * up in the target by natural key, so a create that timed out earlier never makes a duplicate.
 * No database transaction is held open across the HTTP calls. The worker also hands in what a
 * batched natural-key lookup found for it (`found`; absent: a create looks itself up here). `onSent` is called
 * once its requests are done, before the outcome is recorded.
 */
export async function deliverOne(engine: Engine, claimed: TClaimed, opts: { state: TDeliveryState | null; found?: TFoundByKey; onSent?: () => void }): Promise<void> {
  const attempts: TConnectorAttempt[] = [...(opts.found?.attempts ?? [])];
  const started = Date.now();
  let conn: TConnection | null = null;
  try {
    const { state } = opts;
    const record = state?.record;
    const entity = engine.config.entities[claimed.entity];
    const binding = bindingFor(engine.config, claimed.entity, claimed.system);
    if (!record || !entity || !binding) {
      opts.onSent?.();
      return await recordSuccess(engine, claimed, { action: "noop", detail: "nothing to deliver: record or binding gone", attempts, started });
    }
    conn = await getConnection(engine, claimed.system, { version: claimed.system_version });
    const allLinks = state!.links;
    const link = allLinks.find((l) => l.system === claimed.system);
    const values: TValues = { ...record.data };
    for (const l of allLinks) values[idKey(l.system)] = l.externalId;
    const liveLink = isLive(link) ? { externalId: link.externalId, lastValues: link.lastValues } : null;
    const seenAt = liveLink && link!.seenAt ? new Date(link!.seenAt) : null;
    const held = Object.keys(record.held);
    const finalize = (p: TDeliveryAction) => withReferences(engine, { entity, binding, values, plan: p });
    let plan = await finalize(planDelivery({ entity, binding, values, deleted: !!record.deletedAt, held, link: liveLink }));
    const connector = connectorFor(engine, conn, (a) => attempts.push(a));
    if (plan.kind === "noop" && record.deletedAt && !link && claimed.attempts > 0 && binding.onDelete !== "ignore") {
      // An earlier attempt of this delivery failed, and may have created the document there all the same
      // (applied, then timed out); the record was deleted since. Find it by natural key, and delete it too.
      const key = values[entity.naturalKey];
      const [found] = key == null ? [] : await connector.findBy(binding.resource, binding.fields[entity.naturalKey]!.field, String(key));
      const foundId = found ? String(found[binding.idField]) : null;
      // Only a document no other record is linked to: one that is, is that record's, not a leftover.
      const taken = foundId ? await findLink(engine.db, { system: claimed.system, entity: entity.key, externalId: foundId }) : undefined;
      if (foundId && !taken) plan = planDelivery({ entity, binding, values, deleted: true, held, link: { externalId: foundId, lastValues: null } });
    }
    const password = plan.kind === "create" ? temporaryPassword(binding, plan) : null;
    const success = await execute({
      plan,
      connector,
      resource: binding.resource,
      idField: binding.idField,
      naturalKeyField: binding.fields[entity.naturalKey]!.field,
      values,
      entityKey: entity.naturalKey,
      found: opts.found?.docs,
      mapFound: async (doc) => (await prepareDocs(engine.db, { binding, entity, docs: [doc] }))[0]!.m.values,
      replan: (found) => finalize(planDelivery({ entity, binding, values, deleted: false, held, link: found })),
      noteSent: (sent, prior) => noteSent(engine, claimed.id, sent, prior),
      versionOf: (doc) => docTime(binding, doc),
      agreed: liveLink?.lastValues ?? null,
      seenAt,
      takeIn: (externalId, ifVersion, fields) => takeInChanged(engine, { claimed, binding, connector, externalId, ifVersion, fields }),
    });
    opts.onSent?.(); // the requests are done: what is left is recording the outcome
    const secret = password && success.created ? { label: String(values[entity.displayField] ?? values[entity.naturalKey] ?? record.id), value: password } : undefined;
    await recordSuccess(engine, claimed, { ...success, attempts, started, secret });
  } catch (err) {
    opts.onSent?.();
    if (err instanceof WaitingForParent) return await recordWaiting(engine, claimed, err);
    const error = isSyncError(err) ? err : new SyncError("INTERNAL", err instanceof Error ? err.message : String(err));
    if (!isSyncError(err)) engine.log.error({ err, deliveryId: claimed.id }, "delivery failed unexpectedly");
    await recordFailure(engine, claimed, { error, attempts, started, schedule: conn?.retrySchedule ?? null });
  }
}

interface ExecuteOpts {
  plan: TDeliveryAction;
  connector: Connector;
  resource: string;
  idField: string;
  naturalKeyField: string;
  entityKey: string;
  values: TValues;
  /** What a batched lookup by natural key found, when one was made for this delivery. */
  found?: TDoc[];
  mapFound: (doc: TDoc) => Promise<TValues>;
  replan: (found: { externalId: string; lastValues: TValues }) => Promise<TDeliveryAction>;
  /** Enters what is about to be sent (and what the target held before, as far as Concord knows) in the echo ledger: before the request, as its answer may be lost. */
  noteSent: (sent: TValues, prior: TValues | null) => Promise<void>;
  /** The target's version of the document it answered with (its updated-at). */
  versionOf: (doc: TDoc) => Date | null;
  /** What the target last agreed (the link's values), before this write. */
  agreed: TValues | null;
  /** The newest version of the linked document Concord has seen there: the precondition of an update. */
  seenAt: Date | null;
  /** After a refused conditional update: takes the target's change in and queues the record again; says what happened. */
  takeIn: (externalId: string, ifVersion: Date, fields: string[]) => Promise<string>;
}

/**
 * An update sent only if the document is still at the version Concord saw (where the system honours If-Match).
 * Refused, it writes nothing over an edit Concord has not seen: that edit is taken in first (`takeIn`).
 */
async function conditionalUpdate(
  o: ExecuteOpts,
  w: { externalId: string; body: TDoc; ifVersion: Date | null; fields: string[] },
): Promise<{ doc: TDoc } | { refused: string }> {
  try {
    return { doc: await o.connector.update(o.resource, w.externalId, w.body, { ifVersion: w.ifVersion }) };
  } catch (err) {
    if (!(isSyncError(err) && err.code === "UPSTREAM_CHANGED" && w.ifVersion)) throw err;
    return { refused: await o.takeIn(w.externalId, w.ifVersion, w.fields) };
  }
}

async function execute(o: ExecuteOpts): Promise<Omit<TSuccess, "attempts" | "started">> {
  const { plan, connector, resource } = o;
  switch (plan.kind) {
    case "noop":
      return { action: "noop", detail: plan.reason };
    case "update":
    case "archive": {
      await o.noteSent(plan.sent, o.agreed);
      const w = await conditionalUpdate(o, { externalId: plan.externalId, body: plan.body, ifVersion: o.seenAt, fields: Object.keys(plan.sent) });
      if ("refused" in w) return { action: "noop", detail: w.refused };
      return { action: plan.kind, externalId: plan.externalId, sent: plan.sent, version: o.versionOf(w.doc) };
    }
    case "delete":
      await connector.remove(resource, plan.externalId);
      return { action: "delete", externalId: plan.externalId, deleted: true };
    case "create": {
      const [found] = o.found ?? (await findByKey(o));
      if (found) {
        const externalId = String(found[o.idField]);
        const lastValues = await o.mapFound(found);
        const again = await o.replan({ externalId, lastValues });
        if (again.kind === "update") {
          await o.noteSent(again.sent, lastValues);
          const w = await conditionalUpdate(o, { externalId, body: again.body, ifVersion: o.versionOf(found), fields: Object.keys(again.sent) });
          if ("refused" in w) return { action: "noop", detail: w.refused };
          return { action: "update", externalId, sent: { ...lastValues, ...again.sent }, linkedBy: "natural-key", version: o.versionOf(w.doc) };
        }
        return { action: "noop", externalId, sent: lastValues, linkedBy: "natural-key", detail: "found by natural key, already in agreement", version: o.versionOf(found) };
      }
      await o.noteSent(plan.sent, null);
      const doc = await connector.create(resource, plan.body);
      const externalId = doc[o.idField];
      if (externalId === undefined || externalId === null) throw new SyncError("UPSTREAM_PERMANENT", `the created document has no "${o.idField}"`);
      return { action: "create", externalId: String(externalId), sent: plan.sent, created: true, version: o.versionOf(doc) };
    }
  }
}

async function findByKey(o: ExecuteOpts): Promise<TDoc[]> {
  const key = o.values[o.entityKey];
  if (key == null) return [];
  return o.connector.findBy(o.resource, o.naturalKeyField, String(key));
}

/**
 * References go out as the target's own ids (a vessel's company as the Maintenance Portal's company id);
 * what the link remembers stays canonical. A parent the target does not hold yet makes the delivery wait.
 */
async function withReferences(engine: Engine, o: { entity: TEntity; binding: TBinding; values: TValues; plan: TDeliveryAction }): Promise<TDeliveryAction> {
  const { plan } = o;
  if ((plan.kind !== "create" && plan.kind !== "update") || Object.keys(o.entity.references).length === 0) return plan;
  const { external, resolved } = await translateReferences(engine.db, { config: engine.config, entity: o.entity, binding: o.binding, values: o.values, fields: Object.keys(plan.sent) });
  const body = { ...plan.body };
  const sent = { ...plan.sent };
  for (const [field, id] of Object.entries(external)) {
    const fb = o.binding.fields[field]!;
    body[fb.field] = id === null ? null : transforms[fb.transform].out(id);
    sent[field] = resolved[field] ?? null;
  }
  return { ...plan, body, sent };
}

/**
 * 16 characters of base64url (96 random bits) that start with a letter or digit: one that starts with "-" reads as
 * a formula in a spreadsheet, so the run's CSV export would have to change it (and a person mistypes it).
 */
export function newTemporaryPassword(): string {
  for (;;) {
    const password = randomBytes(12).toString("base64url");
    if (/^[A-Za-z0-9]/.test(password)) return password;
  }
}

/** A new user's first password: sent once in the create, flagged must-change, never part of `sent`. */
function temporaryPassword(binding: TBinding, plan: Extract<TDeliveryAction, { kind: "create" }>): string | null {
  const spec = binding.temporaryPassword;
  if (!spec) return null;
  const password = newTemporaryPassword();
  plan.body[spec.field] = password;
  if (spec.mustChangeField) plan.body[spec.mustChangeField] = true;
  return password;
}
