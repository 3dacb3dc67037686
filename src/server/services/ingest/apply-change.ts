import { eq, sql } from "drizzle-orm";
import { bindingFor, isSourceBinding, type TBinding, type TEntity, type TSyncConfig } from "~/sync/config";
import { SyncError } from "~/sync/errors";
import { isProbeKey } from "~/sync/probe";
import { idKey, isIdKey, sameValue, writableValues, type TValues } from "~/sync/mapping";
import { echoView, type TSentEntry } from "~/sync/echo";
import { mergeChange, type TMergeResult, type TRecordState } from "~/sync/merge";
import { idKeepers, planTargets } from "~/sync/plan";
import { jsonValue, queryRows, type Db } from "~/server/db";
import { changes, conflicts, links, records, type TLinkRow, type TRecordRow } from "~/server/db/schema";
import { ledgerRows } from "../delivery/echo-ledger";
import { enqueueDeliveries } from "../delivery/enqueue";
import { applyDelete } from "./apply-delete";
import { createRecords, linkForeignIds } from "./create-records";
import { prepareDocs, resolvePendingRefs, resolveWaitingChildren, writesBack, type TPrepared } from "./prepare";
import { findDeletedBeingCreated, findLink, findLinkLocked, findLiveByNaturalKey, isBeingCreated, linkIfFree, lockRecord } from "./record-store";
import type { TApplyResult, TObservedChange } from "./types";

/**
 * Each entity schema's partial form, made once: zod compiles a schema on its first parse, and a `.partial()` made per
 * call was a new schema to compile for every webhook, every applied change and every document a run read.
 */
const partials = new WeakMap<TEntity["schema"], TEntity["schema"]>();
function partialOf(schema: TEntity["schema"]): TEntity["schema"] {
  let p = partials.get(schema);
  if (!p) partials.set(schema, (p = schema.partial() as unknown as TEntity["schema"]));
  return p;
}

/** Checks canonical values against the entity's schema; the error names the field. */
export function validateCanonical(entity: TEntity, values: TValues, partial: boolean): TValues {
  const data = Object.fromEntries(Object.entries(values).filter(([k]) => !isIdKey(k)));
  const schema = partial ? partialOf(entity.schema) : entity.schema;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "");
    throw new SyncError("UNPROCESSABLE", `${entity.key}.${field} ${issue.message}`, { field });
  }
  return parsed.data as TValues;
}


/**
 * Applies one observed change inside the caller's transaction: map → merge → plan, writing the record,
 * its link, conflicts, the change row and the deliveries (the transactional outbox) together.
 */
export async function applyChange(tx: Db, config: TSyncConfig, change: TObservedChange, now: Date): Promise<TApplyResult> {
  const entity = config.entities[change.entity];
  const binding = bindingFor(config, change.entity, change.system);
  if (!entity || !binding) return { outcome: "ignored", recordId: null, fields: [], targets: [], detail: "no binding for this entity here" };
  // The link, its record locked, and where the record is linked, in one statement.
  const found = await findLinkLocked(tx, { system: change.system, entity: change.entity, externalId: change.externalId });
  const link = found?.link;

  let result: TApplyResult;
  if (change.kind === "delete" || !change.doc) {
    result = await applyDelete(tx, { config, binding, link, record: found?.record, at: change.eventTime ?? now, runId: change.runId });
  } else {
    result = await applyUpsert(tx, { config, entity, binding, link, locked: found, change, now });
  }
  await tx.insert(changes).values({
    recordId: result.recordId,
    entity: change.entity,
    system: change.system,
    externalId: change.externalId,
    kind: change.kind,
    outcome: result.outcome,
    fields: result.fields,
    detail: result.detail ?? null,
    sourceTime: change.eventTime,
    webhookEventId: change.webhookEventId ?? null,
    runId: change.runId ?? null,
  });
  return result;
}

interface UpsertCtx {
  config: TSyncConfig;
  entity: TEntity;
  binding: TBinding;
  link: TLinkRow | undefined;
  /** The link's record, already locked, and the systems it is linked in (`findLinkLocked`), when read with the link. */
  locked?: { record: TRecordRow; linkedIn: string[] };
  change: TObservedChange;
  now: Date;
  /** Applied once more because a concurrent change created the record first. */
  retried?: boolean;
}

async function applyUpsert(tx: Db, ctx: UpsertCtx): Promise<TApplyResult> {
  const { config, entity, binding, change } = ctx;
  const mapped: TPrepared = (await prepareDocs(tx, { binding, entity, docs: [change.doc!] }))[0]!.m;
  if (isProbeKey(mapped.values[entity.naturalKey])) return { outcome: "ignored", recordId: null, fields: [], targets: [], detail: "a connection-test probe" };
  if (!mapped.included) return { outcome: "filtered", recordId: ctx.link?.recordId ?? null, fields: [], targets: [], detail: "does not pass the binding's filters" };
  const sourceTime = mapped.sourceTime ?? change.eventTime ?? ctx.now;

  let link = ctx.link;
  let record: TRecordRow | undefined = link ? (ctx.locked?.record ?? (await lockRecord(tx, link.recordId))) : undefined;
  if (!link) {
    validateCanonical(entity, mapped.values, true);
    const nk = mapped.values[entity.naturalKey];
    record = typeof nk === "string" ? await findLiveByNaturalKey(tx, entity.key, nk) : undefined;
    if (record) {
      // Same natural key: the same thing. Link it rather than make a duplicate. If Concord is creating it there
      // right now, this is that create's echo, ahead of its reply: the document is Concord's and holds what it sent.
      const ownCreate = await isBeingCreated(tx, record.id, binding.system);
      const linked = await linkIfFree(tx, {
        recordId: record.id,
        entity: entity.key,
        system: binding.system,
        externalId: change.externalId,
        ...(ownCreate ? { origin: "sync", lastValues: mapped.held, seenAt: mapped.sourceTime } : { origin: "natural-key", lastValues: null }),
      });
      if (!linked) {
        // Concord's own create may have recorded this very link while this change waited (its reply came first):
        // then this is that link's document, and the change is applied onto it.
        const meanwhile = ctx.retried ? undefined : await findLink(tx, { system: binding.system, entity: entity.key, externalId: change.externalId });
        if (meanwhile?.recordId === record.id) return applyUpsert(tx, { ...ctx, link: meanwhile, locked: undefined, retried: true });
        return { outcome: "ignored", recordId: record.id, fields: [], targets: [], detail: `another ${binding.system} record is already linked to ${entity.naturalKey} "${nk}"` };
      }
      link = await findLink(tx, { system: binding.system, entity: entity.key, externalId: change.externalId });
      await resolveWaitingChildren(tx, config, { entity: entity.key, system: binding.system, linked: [{ externalId: change.externalId, recordId: record.id }] });
      const keepers = idKeepers(config, entity.key, binding.system);
      await enqueueDeliveries(tx, { recordId: record.id, entity: entity.key, systems: keepers, fields: [idKey(binding.system)], runId: change.runId });
      if (ownCreate) return { outcome: "echo", recordId: record.id, fields: [], targets: [], detail: `the echo of Concord's create in ${binding.system}, ahead of its reply` };
    } else {
      const dying = typeof nk === "string" ? await findDeletedBeingCreated(tx, { entity: entity.key, naturalKey: nk, system: binding.system }) : undefined;
      if (dying) {
        // The echo of Concord's own create, which the record's delete overtook: link it, so the delete
        // queued behind that create removes this document too, rather than start the record again.
        await linkIfFree(tx, { recordId: dying.id, entity: entity.key, system: binding.system, externalId: change.externalId, origin: "sync", lastValues: mapped.held, seenAt: mapped.sourceTime });
        return { outcome: "stale", recordId: dying.id, fields: [], targets: [], detail: "the record was deleted while Concord created it here; its delete follows" };
      }
      if (!isSourceBinding(binding)) return { outcome: "ignored", recordId: null, fields: [], targets: [], detail: `${binding.system} only receives ${entity.key} records` };
      const created = await createRecord(tx, ctx, mapped, sourceTime);
      if (created) return created;
      // Another transaction made the record meanwhile (its insert committed while ours waited): apply onto it.
      if (ctx.retried) throw new SyncError("CONFLICT", `${entity.key} "${String(nk)}" was created meanwhile; apply it again`, { retryable: true });
      return applyUpsert(tx, { ...ctx, link: await findLink(tx, { system: binding.system, entity: entity.key, externalId: change.externalId }), locked: undefined, retried: true });
    }
  }
  if (!record) return { outcome: "ignored", recordId: null, fields: [], targets: [], detail: "record vanished" };
  if (record.deletedAt) {
    // A tombstone wins: a change seen after the delete is the delete's own echo (an archive) or too late.
    await tx.update(links).set({ lastValues: { ...(link!.lastValues ?? {}), ...mapped.values }, lastSyncedAt: sql`now()` }).where(eq(links.id, link!.id));
    return { outcome: "stale", recordId: record.id, fields: [], targets: [], detail: "the record is deleted" };
  }

  const upgraded = await resolvePendingRefs(tx, entity, record.data);
  if (upgraded) {
    // Its parent has arrived since: the reference becomes the parent's record id (same meaning, no new version).
    await tx.update(records).set({ data: upgraded }).where(eq(records.id, record.id));
    record = { ...record, data: upgraded };
  }
  const state: TRecordState = { data: record.data, stamps: record.stamps, held: record.held };
  // The origin's own version tells whether this is the newest state Concord has seen of the document there.
  const version = mapped.sourceTime;
  const { ledger, lostBefore } = await echoInputs(tx, { recordId: record.id, system: binding.system });
  const echo = echoView(ledger, version, link!.seenAt ? new Date(link!.seenAt) : null);
  const merge = mergeChange({ entity, origin: binding, record: state, lastAgreed: link!.lastValues, incoming: mapped.values, sourceTime, ...echo, lostBefore });
  // A value Concord generated is not what the origin holds: its link keeps the origin's, so it is written back.
  if (writesBack(binding, mapped.generated)) for (const f of mapped.generated) merge.agreed[f] = mapped.held[f] ?? null;
  // A record already linked in a system keeps that link (one per record and system): nothing to try there.
  const linkedIn = ctx.locked?.record.id === record.id ? ctx.locked.linkedIn : [];
  await linkForeignIds(tx, { config, entity: entity.key, recordId: record.id, values: mapped.values, linkedIn });
  return writeMerge(tx, { ...ctx, record, link: link!, merge, sourceTime, version });
}

/** A new record from this change (createRecords); null when a live record with its natural key was committed meanwhile. */
async function createRecord(tx: Db, ctx: UpsertCtx, mapped: TPrepared, sourceTime: Date): Promise<TApplyResult | null> {
  const { entity, binding, change, config } = ctx;
  const data = validateCanonical(entity, writableValues(binding, mapped.values), false);
  const doc = { externalId: change.externalId, m: mapped, data, at: sourceTime };
  const { created, raced } = await createRecords(tx, { config, entity: entity.key, system: binding.system, runId: change.runId, docs: [doc] });
  if (raced[0]?.why === "link") {
    // Linked since this change looked (Concord's own create there just finished): undo, and apply it again.
    throw new SyncError("CONFLICT", `${binding.system} "${change.externalId}" was linked meanwhile; apply it again`, { retryable: true });
  }
  const made = created[0];
  return made ? { outcome: "created", recordId: made.recordId, fields: Object.keys(data), targets: made.targets } : null;
}

async function writeMerge(
  tx: Db,
  ctx: UpsertCtx & { record: TRecordRow; link: TLinkRow; merge: TMergeResult; sourceTime: Date; version: Date | null },
): Promise<TApplyResult> {
  const { config, entity, binding, record, link, merge, change } = ctx;
  const held = { ...record.held };
  for (const c of merge.conflicts) {
    const [row] = await tx
      .insert(conflicts)
      .values({
        recordId: record.id,
        entity: entity.key,
        field: c.field,
        base: c.base ?? null,
        theirs: c.theirs ?? null,
        theirsSystem: binding.system,
        ours: c.ours ?? null,
        oursSystem: c.oursBy,
        status: c.resolution === "held" ? "open" : "resolved",
        resolution: c.resolution === "held" ? null : c.resolution,
        reason: c.reason,
        resolvedBy: c.resolution === "held" ? null : `policy:${c.reason}`,
        resolvedAt: c.resolution === "held" ? null : ctx.now,
      })
      .returning({ id: conflicts.id });
    if (c.resolution === "held") held[c.field] = row!.id;
  }

  const applied = Object.keys(merge.apply);
  const data = applied.length ? validateCanonical(entity, { ...record.data, ...merge.apply }, false) : record.data;
  if (applied.length || merge.conflicts.some((c) => c.resolution === "held")) {
    await tx
      .update(records)
      .set({
        data,
        naturalKey: String(data[entity.naturalKey]),
        stamps: { ...record.stamps, ...merge.stamps },
        held,
        version: applied.length ? sql`${records.version} + 1` : records.version,
        updatedAt: sql`now()`,
      })
      .where(eq(records.id, record.id));
  }
  const agreed = { ...(link.lastValues ?? {}), ...merge.agreed };
  const { version } = ctx;
  await tx
    .update(links)
    .set({ lastValues: agreed, lastSyncedAt: sql`now()`, ...(version ? { seenAt: sql`greatest(${links.seenAt}, ${version.toISOString()}::timestamptz)` } : {}) })
    .where(eq(links.id, link.id));

  const targets = new Set(planTargets({ config, entity: entity.key, origin: binding.system, changedKeys: applied }));
  // The origin holds a value Concord did not take (ours won, stale, a foreign write to overwrite, an old copy
  // of Concord's coming back): put ours back. An out-of-date event leaves what the origin holds as it was.
  const putBack = [...new Set([...Object.keys(merge.agreed), ...Object.keys(merge.apply)])].filter((k) => !isIdKey(k) && k in agreed && binding.fields[k] && !held[k] && !sameValue(data[k] ?? null, agreed[k]));
  if (putBack.length) targets.add(binding.system);
  await enqueueDeliveries(tx, { recordId: record.id, entity: entity.key, systems: [...targets], fields: [...applied, ...putBack], runId: change.runId });

  const outcome = merge.echo
    ? "echo"
    : applied.length
      ? "applied"
      : merge.conflicts.length
        ? merge.foreign.length
          ? "foreign"
          : "conflict"
        : merge.stale.length
          ? "stale"
          : "unchanged";
  return { outcome, recordId: record.id, fields: applied.length ? applied : [...merge.stale, ...merge.conflicts.map((c) => c.field)], targets: [...targets] };
}

/**
 * What the merge needs to tell an echo and a value that already lost, in one statement: the echo ledger of (record,
 * system), newest first, and field → this system's values that lost a conflict on this record by policy (the last 50).
 */
async function echoInputs(tx: Db, opts: { recordId: string; system: string }): Promise<{ ledger: TSentEntry[]; lostBefore: Record<string, unknown[]> }> {
  const [row] = await queryRows<{ ledger: TSentEntry[][] | string | null; lost: [string, unknown][] | string | null }>(
    tx,
    sql`select (select jsonb_agg(l.sent order by l.id desc) from (${ledgerRows(opts)}) l) as ledger,
               (select jsonb_agg(jsonb_build_array(c.field, c.theirs) order by c.created_at desc)
                  from (select field, theirs, created_at from conflicts
                         where record_id = ${opts.recordId} and theirs_system = ${opts.system} and resolution = 'ours'
                         order by created_at desc limit 50) c) as lost`,
  );
  const lostBefore: Record<string, unknown[]> = {};
  for (const [field, theirs] of jsonValue(row?.lost) ?? []) (lostBefore[field] ??= []).push(theirs);
  return { ledger: (jsonValue(row?.ledger) ?? []).flatMap((sent) => sent ?? []), lostBefore };
}
