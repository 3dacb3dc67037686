import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSyncError } from "~/sync/errors";
import { createSecretBox, maskSecret, parseSecretKey, redactSecrets } from "~/sync/secrets";

const KEY_B64 = randomBytes(32).toString("base64");
const KEY_HEX = randomBytes(32).toString("hex");

function expectUndecryptable(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(isSyncError(e)).toBe(true);
    expect((e as Error).message).toBe("secret could not be decrypted");
    expect((e as { code: string }).code).toBe("INTERNAL");
    return;
  }
  throw new Error("expected decrypt to throw");
}

describe("createSecretBox", () => {
  it("round-trips with a base64 key and with a hex key", () => {
    for (const key of [KEY_B64, KEY_HEX]) {
      const box = createSecretBox(key);
      for (const plain of ["", "sk_live_123", "ünïcödé ✓ 🔑", "x".repeat(10_000)]) {
        expect(box.decrypt(box.encrypt(plain))).toBe(plain);
      }
    }
  });

  it("formats tokens as v1:<iv>:<tag>:<ciphertext>", () => {
    const token = createSecretBox(KEY_B64).encrypt("hello");
    const parts = token.split(":");
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe("v1");
    expect(Buffer.from(parts[1] ?? "", "base64")).toHaveLength(12);
    expect(Buffer.from(parts[2] ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(parts[3] ?? "", "base64")).toHaveLength(5);
    expect(token).not.toContain("hello");
  });

  it("uses a fresh IV every time", () => {
    const box = createSecretBox(KEY_B64);
    const a = box.encrypt("same");
    const b = box.encrypt("same");
    expect(a).not.toBe(b);
    expect(a.split(":")[1]).not.toBe(b.split(":")[1]);
  });

  it("takes IVs from the injected random source", () => {
    const asked: number[] = [];
    const box = createSecretBox(KEY_B64, {
      randomBytes: (n) => {
        asked.push(n);
        return new Uint8Array(n).fill(7);
      },
    });
    const token = box.encrypt("x");
    expect(asked).toEqual([12]);
    expect(token.split(":")[1]).toBe(Buffer.alloc(12, 7).toString("base64"));
    expect(box.decrypt(token)).toBe("x");
  });

  it("accepts keys with surrounding whitespace and upper-case hex", () => {
    const box = createSecretBox(`  ${KEY_HEX.toUpperCase()}\n`);
    expect(createSecretBox(KEY_HEX).decrypt(box.encrypt("a"))).toBe("a");
  });

  it("refuses bad key material with a clear error that does not echo the key", () => {
    const bad = [
      "",
      "short",
      randomBytes(16).toString("base64"),
      randomBytes(33).toString("base64"),
      randomBytes(31).toString("hex"),
      "g".repeat(64),
      "%%%%notbase64%%%%",
    ];
    for (const key of bad) {
      expect(() => createSecretBox(key)).toThrow(/32 bytes.*base64.*hex/);
      try {
        parseSecretKey(key);
      } catch (e) {
        if (key.length > 0) expect((e as Error).message).not.toContain(key);
      }
    }
  });

  it("throws SyncError on a tampered ciphertext, tag or IV", () => {
    const box = createSecretBox(KEY_B64);
    const token = box.encrypt("api-key-value");
    const [v, iv, tag, ct] = token.split(":") as [string, string, string, string];
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, "base64");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString("base64");
    };
    expectUndecryptable(() => box.decrypt([v, iv, tag, flip(ct)].join(":")));
    expectUndecryptable(() => box.decrypt([v, iv, flip(tag), ct].join(":")));
    expectUndecryptable(() => box.decrypt([v, flip(iv), tag, ct].join(":")));
  });

  it("throws SyncError with another key", () => {
    const token = createSecretBox(KEY_B64).encrypt("secret");
    expectUndecryptable(() => createSecretBox(KEY_HEX).decrypt(token));
  });

  it("throws SyncError on malformed tokens", () => {
    const box = createSecretBox(KEY_B64);
    const token = box.encrypt("x");
    for (const bad of ["", "v1", "v2" + token.slice(2), token + ":extra", "v1:a:b:c", "v1:!!:!!:!!", token.replace(/:[^:]*$/, "")]) {
      expectUndecryptable(() => box.decrypt(bad));
    }
  });
});

describe("redactSecrets", () => {
  it("redacts matching keys at any depth, leaving the input untouched", () => {
    const input = {
      name: "Dashboard",
      password: "hunter2",
      passwordHash: "$2a$…",
      apiKey: "k1",
      api_key: "k2",
      "api-key": "k3",
      webhookSecret: "whsec_x",
      accessToken: "t",
      headers: { Authorization: "Bearer abc", Cookie: "sid=1", accept: "json" },
      basicAuth: "u:p",
      author: "Ann",
      credentials: { user: "u" },
      nested: [{ token: "t2", value: 3 }, "plain"],
    };
    const copy = structuredClone(input);
    const out = redactSecrets(input) as typeof input;
    expect(out).toEqual({
      name: "Dashboard",
      password: "[redacted]",
      passwordHash: "[redacted]",
      apiKey: "[redacted]",
      api_key: "[redacted]",
      "api-key": "[redacted]",
      webhookSecret: "[redacted]",
      accessToken: "[redacted]",
      headers: { Authorization: "[redacted]", Cookie: "[redacted]", accept: "json" },
      basicAuth: "[redacted]",
      author: "Ann",
      credentials: "[redacted]",
      nested: [{ token: "[redacted]", value: 3 }, "plain"],
    });
    expect(input).toEqual(copy);
    expect(out.headers).not.toBe(input.headers);
    expect(out.nested).not.toBe(input.nested);
  });

  it("keeps null and undefined so 'not set' stays visible", () => {
    expect(redactSecrets({ token: null, secret: undefined })).toEqual({ token: null, secret: undefined });
  });

  it("passes primitives through and copies dates", () => {
    expect(redactSecrets("x")).toBe("x");
    expect(redactSecrets(3)).toBe(3);
    expect(redactSecrets(null)).toBe(null);
    const d = new Date(0);
    const out = redactSecrets({ at: d }) as { at: Date };
    expect(out.at).toEqual(d);
    expect(out.at).not.toBe(d);
  });

  it("turns errors into plain objects with secrets redacted", () => {
    const e = Object.assign(new Error("boom"), { token: "t", code: "E" });
    expect(redactSecrets({ e })).toEqual({ e: { name: "Error", message: "boom", token: "[redacted]", code: "E" } });
  });

  it("survives cycles and copies shared references", () => {
    const shared = { secret: "s", ok: 1 };
    const a: Record<string, unknown> = { x: shared, y: shared };
    a.self = a;
    const out = redactSecrets(a) as Record<string, unknown>;
    expect(out.self).toBe("[circular]");
    expect(out.x).toEqual({ secret: "[redacted]", ok: 1 });
    expect(out.y).toEqual({ secret: "[redacted]", ok: 1 });
  });
});

describe("maskSecret", () => {
  it("shows the last 4 characters of a long secret", () => {
    expect(maskSecret("sk_live_1234567890abcd")).toBe("••••abcd");
  });

  it("shows nothing of a short secret", () => {
    expect(maskSecret("abcd")).toBe("••••");
    expect(maskSecret("12345678901")).toBe("••••");
  });

  it("returns an empty string when no secret is set", () => {
    expect(maskSecret("")).toBe("");
    expect(maskSecret(null)).toBe("");
    expect(maskSecret(undefined)).toBe("");
  });
});
