import { like } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { settings } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { writeAudit } from "../write-audit";

const PREFIX = "valueMaps.";
const FRESH_MS = 5_000;
const loadedAt = new WeakMap<Engine, number>();

/**
 * Admin-edited value maps (the role mapping) live in the settings table as `valueMaps.<name>`; every
 * engine reloads them at most every few seconds before it maps documents (runs, webhooks), so every
 * process follows an edit. The config's own table is the default until an admin saves one.
 */
export async function refreshValueMaps(engine: Engine, force = false): Promise<void> {
  if (!force && Date.now() - (loadedAt.get(engine) ?? 0) < FRESH_MS) return;
  const rows = await engine.db.select().from(settings).where(like(settings.key, `${PREFIX}%`));
  for (const row of rows) {
    const map = engine.config.valueMaps[row.key.slice(PREFIX.length)];
    const parsed = z.record(z.string(), z.string()).safeParse(row.value);
    if (!map || !parsed.success) continue;
    for (const k of Object.keys(map.entries)) delete map.entries[k];
    Object.assign(map.entries, parsed.data);
  }
  loadedAt.set(engine, Date.now());
}

export const ZValueMapView = z.object({
  name: z.string(),
  label: z.string(),
  from: z.string(),
  to: z.string(),
  entries: z.array(z.object({ from: z.string(), to: z.string() })),
  /** The values the target accepts, when the canonical schema lists them (an enum). */
  allowed: z.array(z.string()).nullable(),
});
export type TValueMapView = z.infer<typeof ZValueMapView>;

/** Which canonical enum a map's values must belong to: the field that uses it, in its entity's schema. */
function allowedValues(engine: Engine, name: string): string[] | null {
  for (const b of engine.config.bindings) {
    for (const [field, fb] of Object.entries(b.fields)) {
      if (fb.valueMap !== name) continue;
      const shape = engine.config.entities[b.entity]?.schema.shape as Record<string, { options?: unknown }> | undefined;
      const options = shape?.[field]?.options;
      return Array.isArray(options) ? options.map(String) : null;
    }
  }
  return null;
}

export async function listValueMaps(engine: Engine): Promise<TValueMapView[]> {
  await refreshValueMaps(engine, true);
  return Object.entries(engine.config.valueMaps).map(([name, m]) => ({
    name,
    label: m.label,
    from: m.from,
    to: m.to,
    entries: Object.entries(m.entries).map(([from, to]) => ({ from, to })),
    allowed: allowedValues(engine, name),
  }));
}

export const ZUpdateValueMapInput = z.object({
  name: z.string().min(1).max(100),
  entries: z
    .array(z.object({ from: z.string().trim().min(1, "is required").max(100), to: z.string().trim().min(1, "is required").max(100) }))
    .max(500)
    .refine((e) => new Set(e.map((x) => x.from)).size === e.length, { message: "each value may be mapped once" }),
});

/** Saves a value map for every process; a target value the canonical schema does not accept is refused. */
export async function updateValueMap(opts: { engine: Engine; actor: TActor; input: z.input<typeof ZUpdateValueMapInput> }): Promise<TValueMapView> {
  const { engine } = opts;
  const input = ZUpdateValueMapInput.parse(opts.input);
  const map = engine.config.valueMaps[input.name];
  if (!map) throw new SyncError("NOT_FOUND", `No value map "${input.name}".`, { field: "name" });
  const allowed = allowedValues(engine, input.name);
  const bad = allowed ? input.entries.findIndex((e) => !allowed.includes(e.to)) : -1;
  if (bad >= 0) throw new SyncError("BAD_REQUEST", `"${input.entries[bad]!.to}" is not one of ${allowed!.join(", ")}.`, { field: `entries.${bad}.to` });
  const before = { ...map.entries };
  const entries = Object.fromEntries(input.entries.map((e) => [e.from, e.to]));
  await engine.db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key: `${PREFIX}${input.name}`, value: entries })
      .onConflictDoUpdate({ target: settings.key, set: { value: entries, updatedAt: new Date() } });
    await writeAudit(tx, { actor: opts.actor, action: "fleet.updateValueMap", target: `valueMap:${input.name}`, before, after: entries });
  });
  await refreshValueMaps(engine, true);
  return (await listValueMaps(engine)).find((m) => m.name === input.name)!;
}
