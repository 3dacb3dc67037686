import { randomBytes } from "node:crypto";
import { PROBE_KEY_PREFIX } from "~/sync/probe";
import { z } from "zod";
import type { TBinding } from "~/sync/config";
import type { Connector, TConnectorAttempt, TDoc } from "~/sync/connectors";
import { isSyncError } from "~/sync/errors";
import { mapOut } from "~/sync/mapping";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { connectorFor } from "../connections/connector-for";
import { getConnection, type TConnection } from "../connections/get-connection";
import { writeAudit } from "../write-audit";
import { ZSystemKey } from "./system-view";

export const ZConnectionStep = z.object({
  name: z.enum(["reachability", "authentication", "read", "create", "delete"]),
  ok: z.boolean(),
  /** Not tried because an earlier step failed. */
  skipped: z.boolean().optional(),
  detail: z.string(),
  status: z.number().nullable().optional(),
  durationMs: z.number(),
});
type TStep = z.infer<typeof ZConnectionStep>;
export const ZTestConnectionInput = z.object({ key: ZSystemKey, probeWrite: z.boolean().default(false) });
export const ZTestConnectionResult = z.object({ ok: z.boolean(), system: z.string(), resource: z.string().nullable(), steps: z.array(ZConnectionStep) });
export type TTestConnectionResult = z.infer<typeof ZTestConnectionResult>;

const ORDER = ["reachability", "authentication", "read", "create", "delete"] as const;

/**
 * Tests a system's connection step by step — reachability, authentication, reading one record and, on
 * request, creating then deleting a clearly named probe record (`concord-probe-…`) — and says in plain
 * words what passed, what did not and why. Steps after a failure are reported as not tried. Writing is audited.
 */
export async function testConnection({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZTestConnectionInput> }): Promise<TTestConnectionResult> {
  const { key, probeWrite } = ZTestConnectionInput.parse(input);
  // What a system answered (response excerpts) is shown to admins only.
  const conn: TShownConnection = { ...(await getConnection(engine, key)), showExcerpts: actor.role === "admin" };
  const binding = engine.config.bindings.find((b) => b.system === key) ?? null;
  const steps: TStep[] = [];
  const wanted = probeWrite ? ORDER : ORDER.slice(0, 3);
  const probe = { slug: `${PROBE_KEY_PREFIX}${randomBytes(5).toString("hex")}`, id: null as string | null, deleted: false };
  await runSteps({ engine, conn, binding, steps, probeWrite, probe });
  for (const name of wanted.filter((n) => !steps.some((s) => s.name === n))) {
    const failed = steps.find((s) => !s.ok);
    steps.push({ name, ok: false, skipped: true, detail: failed ? `Not tried: ${failed.name} failed first.` : "Not tried.", status: null, durationMs: 0 });
  }
  const result = { ok: steps.every((s) => s.ok), system: key, resource: binding?.resource ?? null, steps };
  if (probeWrite) {
    await writeAudit(engine.db, { actor, action: "systems.testConnection", target: `system:${key}`, after: { probeWrite, ok: result.ok, probe, steps: steps.map((s) => `${s.name}:${s.skipped ? "skipped" : s.ok ? "ok" : "failed"}`) } });
  }
  return result;
}

type TShownConnection = TConnection & { showExcerpts: boolean };

async function runSteps(ctx: { engine: Engine; conn: TShownConnection; binding: TBinding | null; steps: TStep[]; probeWrite: boolean; probe: { slug: string; id: string | null; deleted: boolean } }): Promise<void> {
  const { engine, conn, binding, steps } = ctx;
  const name = conn.def.name;
  if (!conn.baseUrl) {
    steps.push({ name: "reachability", ok: false, detail: `No base URL is set for ${name}: set it on the Systems page.`, status: null, durationMs: 0 });
    return;
  }
  if (!binding) {
    steps.push({ name: "reachability", ok: false, detail: `No entity is bound to ${name}, so there is nothing to read.`, status: null, durationMs: 0 });
    return;
  }
  const attempts: TConnectorAttempt[] = [];
  const connector = connectorFor(engine, conn, (a) => attempts.push(a));
  const call = async <T>(fn: (c: Connector) => Promise<T>): Promise<{ value?: T; err?: unknown; attempt: TConnectorAttempt | null }> => {
    const before = attempts.length;
    try {
      return { value: await fn(connector), attempt: attempts.at(-1) ?? null };
    } catch (err) {
      return { err, attempt: attempts.length > before ? attempts.at(-1)! : null };
    }
  };

  const list = await call((c) => c.list(binding.resource, { limit: 1 }));
  const status = list.attempt?.status ?? null;
  const durationMs = list.attempt?.durationMs ?? 0;
  if (status === null) {
    steps.push({ name: "reachability", ok: false, detail: explainFailure(conn, list.err, null), status, durationMs });
    return;
  }
  steps.push({ name: "reachability", ok: true, detail: `${name} answered at ${conn.baseUrl} in ${durationMs} ms.`, status, durationMs });
  if (list.err) {
    steps.push({ name: "authentication", ok: false, detail: explainFailure(conn, list.err, list.attempt), status, durationMs });
    return;
  }
  steps.push({ name: "authentication", ok: true, detail: `${name} accepted the credential${conn.auth ? "" : " (none is set: it asks for none)"}.`, status, durationMs });

  const first = list.value!.items[0];
  if (!first) steps.push({ name: "read", ok: true, detail: `Listing ${binding.resource} works; it holds no records yet, so none was read.`, status, durationMs });
  else {
    const id = String(first[binding.idField]);
    const read = await call((c) => c.get(binding.resource, id));
    const ok = !read.err && !!read.value;
    const detail = ok ? `Read ${binding.resource} ${id}.` : read.err ? explainFailure(conn, read.err, read.attempt) : `${name} listed ${binding.resource} ${id} but then answered 404 for it.`;
    steps.push({ name: "read", ok, detail, status: read.attempt?.status ?? null, durationMs: read.attempt?.durationMs ?? 0 });
    if (!ok) return;
  }
  if (!ctx.probeWrite) return;

  const created = await call((c) => c.create(binding.resource, probeBody(engine, binding, ctx.probe.slug)));
  const createdId = created.value ? created.value[binding.idField] : undefined;
  if (created.err || createdId === undefined || createdId === null) {
    const detail = created.err ? explainFailure(conn, created.err, created.attempt) : `${name} answered without the new record's ${binding.idField}.`;
    steps.push({ name: "create", ok: false, detail, status: created.attempt?.status ?? null, durationMs: created.attempt?.durationMs ?? 0 });
    return;
  }
  ctx.probe.id = String(createdId);
  steps.push({ name: "create", ok: true, detail: `Created the probe record ${ctx.probe.slug} (id ${ctx.probe.id}).`, status: created.attempt?.status ?? null, durationMs: created.attempt?.durationMs ?? 0 });
  const removed = await call((c) => c.remove(binding.resource, ctx.probe.id!));
  ctx.probe.deleted = !removed.err;
  const detail = removed.err
    ? `${explainFailure(conn, removed.err, removed.attempt)} The probe record ${ctx.probe.slug} (id ${ctx.probe.id}) is still there: delete it by hand.`
    : `Deleted the probe record ${ctx.probe.slug} again.`;
  steps.push({ name: "delete", ok: !removed.err, detail, status: removed.attempt?.status ?? null, durationMs: removed.attempt?.durationMs ?? 0 });
}

/**
 * A probe document in the system's shape, valid for it: natural key `concord-probe-…`, an obvious display
 * name, and every optional text field filled (a system may refuse a null where it keeps text, as the
 * portals do for a company's country and address), so a healthy system accepts it.
 */
export function probeBody(engine: Engine, binding: TBinding, slug: string): TDoc {
  const entity = engine.config.entities[binding.entity]!;
  const raw: Record<string, unknown> = { [entity.naturalKey]: slug, [entity.displayField]: `Concord connection probe ${slug} (safe to delete)` };
  for (const [field, kind] of Object.entries(entity.kinds)) {
    if (kind === "string" && !(field in raw) && !entity.references[field] && binding.fields[field]) raw[field] = "Concord probe";
  }
  const parsed = entity.schema.safeParse(raw);
  const values = parsed.success ? (parsed.data as Record<string, unknown>) : raw;
  return mapOut(binding, entity, values, Object.keys(values)).body;
}

/** A failed request in plain words: what the system answered and what that usually means. */
function explainFailure(conn: TShownConnection, err: unknown, attempt: TConnectorAttempt | null): string {
  const name = conn.def.name;
  const status = attempt?.status ?? null;
  if (status === null) {
    const reason = isSyncError(err) ? (err.details as { reason?: string } | undefined)?.reason : undefined;
    if (reason === "timeout") return `${name} did not answer within ${conn.timeoutMs} ms at ${conn.baseUrl}.`;
    const why = isSyncError(err) && !reason ? err.message : (reason ?? "network error");
    return `Could not reach ${name} at ${conn.baseUrl} (${why}): check that it is running and that the base URL is right.`;
  }
  const excerpt = attempt?.excerpt && conn.showExcerpts ? `: ${attempt.excerpt.replace(/\s+/g, " ").slice(0, 200)}` : "";
  if (status === 401) return `${name} answered 401: the credential is missing or wrong${conn.auth ? "" : " (none is set)"}.`;
  if (status === 403) return `${name} answered 403: the API key is wrong or lacks access.`;
  if (status === 404) return `${name} answered 404 for ${new URL(attempt!.url).pathname}: the base URL or API path may be wrong.`;
  if (status === 429) return `${name} answered 429: too many requests; try again in a moment.`;
  if (status >= 500) return `${name} answered ${status}: it is failing on its side${excerpt}`;
  if (status >= 200 && status < 300) return `${name} answered ${status}, but not as expected: ${err instanceof Error ? err.message : String(err)}.`;
  const field = isSyncError(err) && err.field ? ` (field "${err.field}")` : "";
  return `${name} refused it with ${status}${field}${excerpt}`;
}
