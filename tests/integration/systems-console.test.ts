import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineConfig } from "~/sync/config";
import { systemDefs } from "~/sync/config/systems";
import type { Engine } from "~/server/engine/context";
import { fieldOwnership } from "~/server/services/systems/field-ownership";
import { callerFor, makeUser, sessionFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/db";
import { createTestEngine } from "../helpers/engine";

let t: TestDb;
let engine: Engine;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
beforeAll(async () => {
  t = await createTestDb();
  engine = await createTestEngine(t);
  admin = callerFor(t.db, sessionFor(await makeUser(t.db, "systems-console-admin@concord.test", "admin")), engine);
  viewer = callerFor(t.db, sessionFor(await makeUser(t.db, "systems-console-viewer@concord.test", "viewer")), engine);
});
afterAll(async () => {
  await t?.destroy();
});

const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e: unknown) => (e instanceof TRPCError ? e.code : String(e)));

/** A made-up entity in two of the shipped systems: one owner field, one two-way, one fed one way, one left out of a binding. */
const gadgetConfig = () =>
  defineConfig({
    entities: [
      {
        key: "gadget",
        label: "Gadget",
        schema: z.object({ code: z.string(), title: z.string(), colour: z.string().nullable(), notes: z.string().nullable() }),
        naturalKey: "code",
        displayField: "title",
        kinds: { code: "string", title: "string", colour: "string", notes: "string" },
        references: {},
        conflictPolicy: "priority",
        priority: ["cms", "dashboard"],
      },
    ],
    systems: systemDefs,
    bindings: [
      {
        entity: "gadget",
        system: "dashboard",
        resource: "gadgets",
        fields: {
          code: { field: "sku", direction: "owner" },
          title: { field: "name", direction: "both" },
          colour: { field: "colour_name", direction: "receive", transform: "nullIfEmpty" },
          notes: { field: "internal", direction: "both" },
        },
        storesIdOf: { cms: "cms_ref" },
      },
      { entity: "gadget", system: "cms", resource: "widgets", idField: "uuid", fields: { code: { field: "code", direction: "receive" }, title: { field: "label", direction: "both" }, colour: { field: "colour", direction: "owner" } } },
    ],
  });

describe("field ownership matrix", () => {
  it("is derived from the bindings: each cell says owner / two-way / receives / local with the system's own field name", () => {
    const [m, ...rest] = fieldOwnership(gadgetConfig());
    expect(rest).toEqual([]);
    expect(m!.entity).toBe("gadget");
    expect(m!.conflictPolicy).toBe("priority");
    expect(m!.systems).toEqual([
      { key: "dashboard", name: "Dashboard", resource: "gadgets", idField: "id", onDelete: "delete" },
      { key: "cms", name: "CMS (Payload)", resource: "widgets", idField: "uuid", onDelete: "delete" },
    ]);
    const row = (key: string) => m!.rows.find((r) => r.key === key)!;
    expect(m!.rows.map((r) => r.key)).toEqual(["code", "title", "colour", "notes", "id:cms"]);
    expect(row("code")).toMatchObject({ naturalKey: true, cells: { dashboard: { role: "owner", field: "sku" }, cms: { role: "receive", field: "code" } } });
    expect(row("title").cells).toMatchObject({ dashboard: { role: "both", field: "name" }, cms: { role: "both", field: "label" } });
    expect(row("colour").cells).toMatchObject({ dashboard: { role: "receive", field: "colour_name", transform: "nullIfEmpty" }, cms: { role: "owner", field: "colour", transform: null } });
    // A canonical field the CMS binding does not map stays local there.
    expect(row("notes").cells).toEqual({ dashboard: { role: "both", field: "internal", transform: null, valueMap: null }, cms: { role: "local", field: null, transform: null, valueMap: null } });
    expect(row("id:cms")).toMatchObject({ label: "CMS (Payload) id", cells: { dashboard: { role: "id", field: "cms_ref" }, cms: { role: "none", field: null } } });
  });

  it("covers every entity of the running configuration, through the router, for viewers too; a system narrows it to what lives there", async () => {
    const all = await viewer.systems.ownership({});
    const bound = [...new Set(engine.config.bindings.map((b) => b.entity))];
    expect(all.map((m) => m.entity).sort()).toEqual(bound.sort());
    for (const m of all) {
      const bindings = engine.config.bindings.filter((b) => b.entity === m.entity);
      expect(m.systems.map((s) => s.key)).toEqual(bindings.map((b) => b.system));
      for (const b of bindings) {
        for (const field of Object.keys(engine.config.entities[m.entity]!.schema.shape)) {
          const cell = m.rows.find((r) => r.key === field)!.cells[b.system]!;
          expect(cell).toMatchObject(b.fields[field] ? { role: b.fields[field].direction, field: b.fields[field].field } : { role: "local", field: null });
        }
      }
    }
    const industry = all.find((m) => m.entity === "industry")!;
    expect(industry.rows.find((r) => r.key === "name")!.cells).toMatchObject({ dashboard: { role: "both", field: "name" }, cms: { role: "both", field: "name" }, "lead-centre": { role: "receive", field: "title" } });
    expect(industry.rows.find((r) => r.key === "id:cms")!.cells.dashboard).toMatchObject({ role: "id", field: "cms_id" });

    const leadCentre = await viewer.systems.ownership({ system: "lead-centre" });
    expect(leadCentre.map((m) => m.entity)).toEqual(all.filter((m) => m.systems.some((s) => s.key === "lead-centre")).map((m) => m.entity));
    expect(await viewer.systems.ownership({ system: "no-such-system" })).toEqual([]);
    expect(await codeOf(callerFor(t.db, null, engine).systems.ownership({}))).toBe("UNAUTHORIZED");
  });
});

describe("system detail", () => {
  it("reads one system by key (404 for an unknown one) and its retry schedule's delays and jitter are editable", async () => {
    expect((await viewer.systems.get({ key: "cms" })).name).toBe("CMS (Payload)");
    expect(await codeOf(viewer.systems.get({ key: "nowhere" }))).toBe("NOT_FOUND");
    const updated = await admin.systems.update({ key: "cms", retrySchedule: { delaysSeconds: [2, 4], jitter: 0.35 } });
    expect(updated.retrySchedule).toEqual({ delaysSeconds: [2, 4], jitter: 0.35 });
    const bad = await admin.systems.update({ key: "cms", retrySchedule: { delaysSeconds: [2], jitter: 2 } }).catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((bad as TRPCError).cause)).toContain("retrySchedule");
    expect((await viewer.systems.get({ key: "cms" })).retrySchedule).toEqual({ delaysSeconds: [2, 4], jitter: 0.35 });
    expect(await codeOf(viewer.systems.update({ key: "cms", retrySchedule: { delaysSeconds: [1], jitter: 0 } }))).toBe("FORBIDDEN");
  });
});
