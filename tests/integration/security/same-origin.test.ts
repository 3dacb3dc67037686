import { describe, expect, it } from "vitest";
import { isSyncError } from "~/sync/errors";
import { assertSameOriginWrite } from "~/server/http/same-origin";

const verdict = (headers: Record<string, string>, method = "POST") => {
  try {
    assertSameOriginWrite(new Request("http://concord.local:3000/api/trpc/users.create", { method, headers: { host: "concord.local:3000", ...headers } }));
    return "allowed";
  } catch (err) {
    return isSyncError(err) ? err.code : String(err);
  }
};

describe("tRPC writes with a browser session", () => {
  it("refuses a cross-origin POST (a multipart form another site submits with the session cookie)", () => {
    expect(verdict({ origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x", cookie: "authjs.session-token=abc" })).toBe("FORBIDDEN");
    expect(verdict({ origin: "null", cookie: "authjs.session-token=abc" })).toBe("FORBIDDEN");
    expect(verdict({ "sec-fetch-site": "cross-site", cookie: "authjs.session-token=abc" })).toBe("FORBIDDEN");
    expect(verdict({ "sec-fetch-site": "same-site", cookie: "authjs.session-token=abc" })).toBe("FORBIDDEN");
    expect(verdict({ origin: "http://concord.local:3001" })).toBe("FORBIDDEN");
  });

  it("allows Concord's own pages, API-key calls from anywhere, reads, and clients that are no browser", () => {
    expect(verdict({ origin: "http://concord.local:3000", "sec-fetch-site": "same-origin" })).toBe("allowed");
    expect(verdict({ origin: "https://concord.example.com", "x-forwarded-host": "concord.example.com" })).toBe("allowed");
    expect(verdict({ origin: "https://evil.example", authorization: "Bearer ck_x" })).toBe("allowed");
    expect(verdict({ origin: "https://evil.example" }, "GET")).toBe("allowed");
    expect(verdict({})).toBe("allowed");
  });
});
