import * as crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import {
  buildWebhookHeaders,
  decodeWebhookSecret,
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
} from "~/sync/signature";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

// Published Standard Webhooks test vector.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const fixedNow = (seconds: number) => () => seconds * 1000;

const headers = (signature: string | undefined = SIGNATURE) => ({ id: ID, timestamp: String(TS), signature });

describe("signWebhook", () => {
  it("produces the published test vector", () => {
    expect(signWebhook({ secret: SECRET, id: ID, timestamp: TS, body: BODY })).toBe(SIGNATURE);
  });

  it("signs raw bytes the same as the equal string", () => {
    const bytes = new TextEncoder().encode(BODY);
    expect(signWebhook({ secret: SECRET, id: ID, timestamp: TS, body: bytes })).toBe(SIGNATURE);
  });

  it("treats a secret without the whsec_ prefix as base64", () => {
    expect(signWebhook({ secret: SECRET.slice("whsec_".length), id: ID, timestamp: TS, body: BODY })).toBe(SIGNATURE);
  });

  it("refuses unusable secrets and timestamps", () => {
    expect(() => signWebhook({ secret: "whsec_", id: ID, timestamp: TS, body: BODY })).toThrow(/secret/);
    expect(() => signWebhook({ secret: "not base64!", id: ID, timestamp: TS, body: BODY })).toThrow(/secret/);
    expect(() => signWebhook({ secret: SECRET, id: ID, timestamp: 1.5, body: BODY })).toThrow(/timestamp/);
  });

  it("builds the three delivery headers", () => {
    expect(buildWebhookHeaders({ secret: SECRET, id: ID, timestamp: TS, body: BODY })).toEqual({
      "webhook-id": ID,
      "webhook-timestamp": String(TS),
      "webhook-signature": SIGNATURE,
    });
  });
});

describe("verifyWebhook", () => {
  const base = { secrets: [SECRET], body: BODY, now: fixedNow(TS) };

  it("verifies the published test vector with a fixed clock", () => {
    expect(verifyWebhook({ ...base, headers: headers() })).toEqual({ ok: true });
  });

  it("verifies a Uint8Array body", () => {
    expect(verifyWebhook({ ...base, body: Buffer.from(BODY), headers: headers() })).toEqual({ ok: true });
  });

  it("compares digests with crypto.timingSafeEqual", () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(verifyWebhook({ ...base, headers: headers() }).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] ?? [];
    expect((a as Buffer).length).toBe(32);
    expect((b as Buffer).length).toBe(32);
  });

  it("fails a tampered body", () => {
    const r = verifyWebhook({ ...base, body: '{"test": 2432232315}', headers: headers() });
    expect(r).toEqual({ ok: false, reasonForLogs: "no_matching_signature" });
  });

  it("fails a tampered id or timestamp", () => {
    expect(verifyWebhook({ ...base, headers: { ...headers(), id: "msg_other" } }).ok).toBe(false);
    expect(
      verifyWebhook({ ...base, now: fixedNow(TS + 1), headers: { ...headers(), timestamp: String(TS + 1) } }).ok,
    ).toBe(false);
  });

  it("fails with the wrong secret", () => {
    const r = verifyWebhook({ ...base, secrets: [generateWebhookSecret()], headers: headers() });
    expect(r.ok).toBe(false);
  });

  it("accepts 300 s of clock distance either way and fails at 301 s", () => {
    expect(verifyWebhook({ ...base, now: fixedNow(TS + 300), headers: headers() }).ok).toBe(true);
    expect(verifyWebhook({ ...base, now: fixedNow(TS - 300), headers: headers() }).ok).toBe(true);
    const old = verifyWebhook({ ...base, now: fixedNow(TS + 301), headers: headers() });
    expect(old).toEqual({ ok: false, reasonForLogs: "timestamp_out_of_tolerance" });
    const ahead = verifyWebhook({ ...base, now: fixedNow(TS - 301), headers: headers() });
    expect(ahead).toEqual({ ok: false, reasonForLogs: "timestamp_out_of_tolerance" });
  });

  it("honours a custom tolerance", () => {
    expect(verifyWebhook({ ...base, now: fixedNow(TS + 11), toleranceSeconds: 10, headers: headers() }).ok).toBe(false);
    expect(verifyWebhook({ ...base, now: fixedNow(TS + 10), toleranceSeconds: 10, headers: headers() }).ok).toBe(true);
  });

  it("fails when any header is missing or empty", () => {
    for (const h of [
      { id: undefined, timestamp: String(TS), signature: SIGNATURE },
      { id: ID, timestamp: undefined, signature: SIGNATURE },
      { id: ID, timestamp: String(TS), signature: undefined },
      { id: "", timestamp: String(TS), signature: SIGNATURE },
    ]) {
      expect(verifyWebhook({ ...base, headers: h })).toEqual({ ok: false, reasonForLogs: "missing_headers" });
    }
  });

  it("fails a non-numeric timestamp", () => {
    const r = verifyWebhook({ ...base, headers: { ...headers(), timestamp: `${TS}abc` } });
    expect(r).toEqual({ ok: false, reasonForLogs: "invalid_timestamp" });
  });

  it("the failure result says nothing but ok:false and an internal reason", () => {
    const r = verifyWebhook({ ...base, body: "tampered", headers: headers() });
    expect(Object.keys(r).sort()).toEqual(["ok", "reasonForLogs"]);
  });

  it("accepts any matching entry among several and ignores unknown versions", () => {
    const other = signWebhook({ secret: generateWebhookSecret(), id: ID, timestamp: TS, body: BODY });
    const header = `v2,${SIGNATURE.slice(3)} ${other} v1a,zzz ${SIGNATURE}`;
    expect(verifyWebhook({ ...base, headers: headers(header) }).ok).toBe(true);
  });

  it("does not accept a matching digest under an unknown version", () => {
    expect(verifyWebhook({ ...base, headers: headers(`v2,${SIGNATURE.slice(3)}`) }).ok).toBe(false);
  });

  it("fails garbage signatures without throwing", () => {
    for (const sig of ["v1,", "v1,!!!", "v1,AAAA", "garbage", "v1", "   ", `v1,${SIGNATURE.slice(3)}AAAA`]) {
      expect(verifyWebhook({ ...base, headers: headers(sig) }).ok).toBe(false);
    }
  });

  it("supports rotation: either of two secrets verifies", () => {
    const next = generateWebhookSecret();
    const signedWithNext = signWebhook({ secret: next, id: ID, timestamp: TS, body: BODY });
    expect(verifyWebhook({ ...base, secrets: [SECRET, next], headers: headers() }).ok).toBe(true);
    expect(verifyWebhook({ ...base, secrets: [SECRET, next], headers: headers(signedWithNext) }).ok).toBe(true);
    expect(verifyWebhook({ ...base, secrets: [SECRET], headers: headers(signedWithNext) }).ok).toBe(false);
  });

  it("skips unusable secrets and fails when none is usable", () => {
    expect(verifyWebhook({ ...base, secrets: ["whsec_", SECRET], headers: headers() }).ok).toBe(true);
    expect(verifyWebhook({ ...base, secrets: [], headers: headers() })).toEqual({
      ok: false,
      reasonForLogs: "no_usable_secret",
    });
  });
});

describe("interop with the standardwebhooks package", () => {
  const body = JSON.stringify({ type: "invoice.paid", data: { id: "inv_1", amount: 1200, note: "café ✓" } });

  it("verifies what the package signs", () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const signature = new Webhook(secret).sign("msg_1", now, body);
    const ts = String(Math.floor(now.getTime() / 1000));
    const r = verifyWebhook({
      secrets: [secret],
      headers: { id: "msg_1", timestamp: ts, signature },
      body: new TextEncoder().encode(body),
      now: () => now.getTime(),
    });
    expect(r).toEqual({ ok: true });
  });

  it("the package verifies what we sign", () => {
    const secret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const h = buildWebhookHeaders({ secret, id: "msg_2", timestamp: ts, body });
    expect(new Webhook(secret).verify(body, h)).toEqual(JSON.parse(body));
  });

  it("the package rejects what we sign with another secret", () => {
    const ts = Math.floor(Date.now() / 1000);
    const h = buildWebhookHeaders({ secret: generateWebhookSecret(), id: "msg_3", timestamp: ts, body });
    expect(() => new Webhook(generateWebhookSecret()).verify(body, h)).toThrow();
  });

  it("agrees on the published vector", () => {
    expect(new Webhook(SECRET).sign(ID, new Date(TS * 1000), BODY)).toBe(SIGNATURE);
  });
});

describe("generateWebhookSecret", () => {
  it("returns whsec_ + base64 of 32 random bytes", () => {
    const s = generateWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(decodeWebhookSecret(s)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(s);
  });

  it("uses the injected random source", () => {
    const s = generateWebhookSecret((n) => new Uint8Array(n).fill(1));
    expect(s).toBe(`whsec_${Buffer.alloc(32, 1).toString("base64")}`);
    expect(() => generateWebhookSecret(() => crypto.randomBytes(3))).toThrow();
  });
});
