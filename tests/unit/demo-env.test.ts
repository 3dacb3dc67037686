import { describe, expect, it } from "vitest";
// @ts-expect-error — a plain .mjs script module shared with `npm run demo`, no type declarations
import { demoEnv } from "../../scripts/lib/demo-env.mjs";

type TDemo = { host: string; admin: { email: string; password: string; generated: boolean }; env: Record<string, string>; fromUser: string[] };
const secrets = {
  AUTH_SECRET: "saved-auth-secret-saved-auth-secret-0001",
  CONCORD_ENCRYPTION_KEY: "ab".repeat(32),
  ADMIN_PASSWORD: "generated-on-first-start",
  SAMPLE_SECRET_DASHBOARD: "whsec_dash",
  SAMPLE_SECRET_CMS: "whsec_cms",
  SAMPLE_SECRET_LEAD_CENTRE: "whsec_lead",
  SAMPLE_SECRET_ONBOARDING: "whsec_onb",
  SAMPLE_SECRET_MAINTENANCE: "whsec_mnt",
};
const demo = (processEnv: Record<string, string>): TDemo =>
  demoEnv({ processEnv, secrets, samplesUrl: "http://127.0.0.1:4000", sampleKey: "sample-key", pgliteDir: "/tmp/x" }) as TDemo;

describe("npm run demo's defaults", () => {
  it("listens on 127.0.0.1 unless HOST says otherwise", () => {
    expect(demo({}).host).toBe("127.0.0.1");
    expect(demo({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
  });

  it("signs the admin in with the password generated for this machine, unless ADMIN_PASSWORD is set", () => {
    expect(demo({}).admin).toEqual({ email: "admin@concord.local", password: "generated-on-first-start", generated: true });
    expect(demo({}).env.ADMIN_PASSWORD).toBe("generated-on-first-start");
    expect(demo({ ADMIN_PASSWORD: "my-own-password" }).admin).toMatchObject({ password: "my-own-password", generated: false });
    expect(JSON.stringify(demo({}))).not.toContain("concord-demo");
  });

  it("an exported CONCORD_SYSTEM_CMS_URL wins over the sample wiring, with none of the sample's secrets mixed in", () => {
    const d = demo({ CONCORD_SYSTEM_CMS_URL: "https://cms.example.com", CONCORD_SYSTEM_CMS_AUTH: "users API-Key real" });
    expect(d.env.CONCORD_SYSTEM_CMS_URL).toBe("https://cms.example.com");
    expect(d.env.CONCORD_SYSTEM_CMS_AUTH).toBe("users API-Key real");
    expect(d.env.CONCORD_SYSTEM_CMS_WEBHOOK_SECRET).toBe("");
    expect(d.fromUser).toEqual(["cms"]);
    expect(d.env.CONCORD_SYSTEM_DASHBOARD_URL).toBe("http://127.0.0.1:4000/dashboard");
  });

  it("any exported part of a system's wiring wins, for every system (the Lead Centre's secret alone)", () => {
    const d = demo({ CONCORD_SYSTEM_LEAD_CENTRE_WEBHOOK_SECRET: "whsec_mine", CONCORD_SYSTEM_ERP_URL: "https://erp.example.com" });
    expect(d.env.CONCORD_SYSTEM_LEAD_CENTRE_WEBHOOK_SECRET).toBe("whsec_mine");
    expect(d.env.CONCORD_SYSTEM_ERP_URL).toBe("https://erp.example.com");
    expect(d.fromUser).toEqual(["lead-centre", "erp"]);
  });
});
