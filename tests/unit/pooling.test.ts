import { describe, expect, it } from "vitest";
import { isPooledUrl, pgClientOptions, resolvePgTarget } from "~/server/db/pooling";

describe("pooled Postgres detection", () => {
  it("reads the hints Supabase, Neon and PgBouncer users write", () => {
    expect(isPooledUrl("postgres://u:p@db.example.com:5432/app?pgbouncer=true")).toBe(true);
    expect(isPooledUrl("postgres://u:p@aws-0-eu-west-1.pooler.supabase.com:6543/postgres")).toBe(true);
    expect(isPooledUrl("postgresql://u:p@ep-cool-name-123-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require")).toBe(true);
    expect(isPooledUrl("postgres://u:p@aws-0-eu-west-1.pooler.supabase.com:5432/postgres")).toBe(false); // session mode
    expect(isPooledUrl("postgresql://u:p@ep-cool-name-123.us-east-2.aws.neon.tech/neondb")).toBe(false);
    expect(isPooledUrl("postgres://postgres@127.0.0.1:5432/app")).toBe(false);
    expect(isPooledUrl("not a url")).toBe(false);
  });

  it("an explicit flag wins; the hint is removed; the unpooled URL takes LISTEN and migrations", () => {
    expect(resolvePgTarget({ url: "postgres://h:6543/db", pooled: false })).toEqual({ url: "postgres://h:6543/db", pooled: false, directUrl: "postgres://h:6543/db" });
    expect(resolvePgTarget({ url: "postgres://h:6432/db", pooled: true })).toEqual({ url: "postgres://h:6432/db", pooled: true, directUrl: null });
    const t = resolvePgTarget({ url: "postgres://h:6432/db?pgbouncer=true&sslmode=require", unpooledUrl: "postgres://h:5432/db" });
    expect(t).toEqual({ url: "postgres://h:6432/db?sslmode=require", pooled: true, directUrl: "postgres://h:5432/db" });
  });

  it("pooled clients prepare nothing and do not pipeline", () => {
    expect(pgClientOptions({ pooled: true })).toMatchObject({ prepare: false, max_pipeline: 0 });
    expect(pgClientOptions({ pooled: false })).toMatchObject({ prepare: true });
  });
});
