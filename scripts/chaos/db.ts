// The trial's own Postgres database (`concord_chaos_<seed>_<random>`): created, migrated, read, dropped.
import postgres from "postgres";
import { createScratchDb } from "../bench/lib/database";

export const ADMIN_URL = process.env.CHAOS_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

export type Sql = postgres.Sql;

export interface TrialDb {
  name: string;
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

export async function createTrialDb(seed: number): Promise<TrialDb> {
  const db = await createScratchDb(ADMIN_URL, `concord_chaos_${seed}`);
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  return {
    name: db.name,
    url: db.url,
    sql,
    drop: async () => {
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}

/** Work Concord still has: events not applied, deliveries not finished. */
export async function busy(sql: Sql): Promise<{ events: number; deliveries: number }> {
  const [row] = await sql<{ events: number; deliveries: number }[]>`
    select (select count(*)::int from webhook_events where status in ('pending', 'processing')) as events,
           (select count(*)::int from deliveries where status in ('pending', 'retrying', 'in_flight')) as deliveries`;
  return row!;
}

export interface History {
  records: { id: string; natural_key: string; data: Record<string, unknown>; stamps: unknown; deleted_at: Date | null }[];
  links: { record_id: string; system: string; external_id: string }[];
  events: { id: number; system: string; webhook_id: string; status: string; body: string; received_at: Date; processed_at: Date | null; error: string | null }[];
  deliveries: { id: number; record_id: string; system: string; action: string | null; status: string; fields: string[]; attempts: number; created_at: Date; finished_at: Date | null; last_error: string | null }[];
  changes: { id: number; record_id: string | null; system: string; external_id: string | null; kind: string; outcome: string; fields: string[]; source_time: Date | null; webhook_event_id: number | null; run_id: string | null; at: Date; detail: string | null }[];
  conflicts: { id: string; record_id: string; field: string; base: unknown; theirs: unknown; theirs_system: string; ours: unknown; ours_system: string | null; status: string; resolution: string | null; reason: string; created_at: Date }[];
}

export async function loadHistory(sql: Sql): Promise<History> {
  const [records, links, events, deliveries, changes, conflicts] = await Promise.all([
    sql`select id, natural_key, data, stamps, deleted_at from records where entity = 'industry'`,
    sql`select record_id, system, external_id from links where entity = 'industry'`,
    sql`select id::int, system, webhook_id, status, body, received_at, processed_at, error from webhook_events order by id`,
    sql`select id::int, record_id, system, action, status, fields, attempts, created_at, finished_at, last_error from deliveries order by id`,
    sql`select id::int, record_id, system, external_id, kind, outcome, fields, source_time, webhook_event_id::int, run_id, at, detail from changes order by id`,
    sql`select id, record_id, field, base, theirs, theirs_system, ours, ours_system, status, resolution, reason, created_at from conflicts order by created_at`,
  ]);
  return { records, links, events, deliveries, changes, conflicts } as unknown as History;
}
