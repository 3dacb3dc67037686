import { describe, expect, it } from "vitest";
import { createConnector, type TRestDialectInput } from "~/sync/connectors";

const urls: string[] = [];
const fakeFetch = (async (url: URL | RequestInfo) => {
  urls.push(String(url));
  return new Response(JSON.stringify({ id: "1" }));
}) as typeof fetch;
const ctx = { baseUrl: "http://x.test", timeoutMs: 1_000, fetch: fakeFetch };

describe("createConnector", () => {
  it("builds a Payload connector", async () => {
    urls.length = 0;
    await createConnector("payload", ctx).get("posts", "1");
    await createConnector("payload", ctx, { apiPath: "/cms" }).get("posts", "1");
    expect(urls).toEqual(["http://x.test/api/posts/1?depth=0", "http://x.test/cms/posts/1?depth=0"]);
  });

  it("builds a REST connector from a dialect", async () => {
    urls.length = 0;
    const dialect: TRestDialectInput = { basePath: "/v2", pagination: { style: "cursor" } };
    expect(await createConnector("rest", ctx, dialect).get("things", "1")).toEqual({ id: "1" });
    expect(urls).toEqual(["http://x.test/v2/things/1"]);
  });

  it("refuses REST without a dialect and unknown kinds", () => {
    expect(() => createConnector("rest" as "payload", ctx)).toThrow(/dialect/);
    expect(() => createConnector("soap" as "payload", ctx)).toThrow(/unknown connector kind/);
  });
});
