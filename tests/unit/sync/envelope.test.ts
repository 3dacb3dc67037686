import { describe, expect, it } from "vitest";
import { readEnvelope } from "~/sync/envelope";

const entityOf = (collection: string) => (collection === "industries" ? "industry" : null);

describe("webhook envelopes", () => {
  it("reads Concord's default envelope as it is", () => {
    const body = { type: "industry.updated", timestamp: "2026-11-22T00:00:00.000Z", data: { id: 1, name: "x" } };
    expect(readEnvelope("standard", body, entityOf)).toEqual({ ok: true, envelope: body });
  });

  it("maps a Payload site's own hook payload onto it, through the binding's collection", () => {
    const res = readEnvelope("payload-hooks", { operation: "delete", collection: "industries", doc: { id: "abc" } }, entityOf);
    expect(res).toEqual({ ok: true, envelope: { type: "industry.deleted", timestamp: undefined, data: { id: "abc" } } });
  });

  it("names what is wrong with a malformed body", () => {
    expect(readEnvelope("standard", { type: "industry.renamed", data: {} }, entityOf)).toMatchObject({ ok: false, field: "type" });
    expect(readEnvelope("standard", { type: "industry.created" }, entityOf)).toMatchObject({ ok: false, field: "data" });
    expect(readEnvelope("payload-hooks", { operation: "create", collection: "pages", doc: {} }, entityOf)).toMatchObject({ ok: false, field: "collection" });
    expect(readEnvelope("payload-hooks", [], entityOf)).toMatchObject({ ok: false });
  });
});
