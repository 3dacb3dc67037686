// The deliveries scenario's fair baseline: the least a durable sender must do for the same 5,100 writes, bare.
// It runs in a process of its own, as a Concord worker does, against its own database on the same server.
//
// What it does, because Concord must too (design.md: nothing lost, nothing duplicated):
// - the writes wait in a table (a crash loses none of them); they are claimed in batches with FOR UPDATE SKIP
//   LOCKED when half of the 16 slots are free, as the worker claims;
// - before creating, it looks the batch's documents up by slug in one request per target (the same
//   `where[slug][in]` / `slug_in` requests Concord's batched lookup makes), so a create that timed out earlier
//   would not be made twice;
// - each outcome is recorded (done, with the remote id), and a CMS create queues its `cms_id` write-back to the
//   Dashboard, in one statement per group of finished writes (as Concord's group commit does).
// What it leaves out, though Concord does it: leases (a claim of a dead sender would stay claimed here), the echo
// ledger (what is about to be sent, committed before the request), attempt rows, the record and link reads, the
// rate-limit slot, events for the console. So it is a floor for Concord's work, not a copy of it.
//
// Env: BENCH_OUTBOX_DATABASE_URL, BENCH_SAMPLES_URL, BENCH_SAMPLES_API_KEY, BENCH_WORKER_CONCURRENCY (16).
// Prints `{ writes, seconds, perSecond, failed, lookups }` as the bench's result line.
import postgres from "postgres";
import { emitResult, intEnv, round } from "./lib/common";

const url = process.env.BENCH_OUTBOX_DATABASE_URL!;
const samples = process.env.BENCH_SAMPLES_URL!;
const apiKey = process.env.BENCH_SAMPLES_API_KEY!;
const concurrency = intEnv("BENCH_WORKER_CONCURRENCY", 16);

type TRow = { id: string; target: string; kind: string; slug: string; record: string; body: Record<string, unknown> };

const sql = postgres(url, { max: 10, onnotice: () => {} });
let failed = 0;
let lookups = 0;

async function send(method: string, target: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const auth = target === "cms" ? `users API-Key ${apiKey}` : `Bearer ${apiKey}`;
  const r = await fetch(`${samples}/${target}${path}`, { method, headers: { authorization: auth, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await r.json()) as Record<string, unknown>;
  if (!r.ok) failed++;
  return json;
}

/** The batch's creates looked up by slug, one request per target: the slugs found there. */
async function lookUp(rows: TRow[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const target of ["cms", "lead-centre"]) {
    const slugs = rows.filter((r) => r.kind === "create" && r.target === target).map((r) => r.slug);
    if (slugs.length === 0) continue;
    lookups++;
    const docs =
      target === "cms"
        ? ((await send("GET", target, `/api/industries?limit=100&page=1&depth=0&where[slug][in]=${encodeURIComponent(slugs.join(","))}`)).docs as { slug: string }[])
        : ((await send("GET", target, `/api/industries?limit=100&slug_in=${encodeURIComponent(slugs.join(","))}`)).items as { slug: string }[]);
    for (const d of docs ?? []) found.add(`${target}:${d.slug}`);
  }
  return found;
}

async function writeOne(row: TRow, found: Set<string>): Promise<string | null> {
  if (row.kind === "create") {
    if (found.has(`${row.target}:${row.slug}`)) return null;
    const created = await send("POST", row.target, row.target === "cms" ? "/api/industries?depth=0" : "/api/industries", row.body);
    const doc = (row.target === "cms" ? created.doc : created) as { id?: unknown } | undefined;
    return doc?.id == null ? null : String(doc.id);
  }
  await send("PATCH", "dashboard", `/api/industries/${row.record}`, row.body);
  return null;
}

/** Group commit: outcomes that finish while a write is under way go together in the next one. */
const finished: { row: TRow; remoteId: string | null }[] = [];
let writing: Promise<void> | null = null;
async function record(): Promise<void> {
  while (finished.length) {
    const batch = finished.splice(0, finished.length);
    const done = sql.json(batch.map((b) => ({ id: b.row.id, remote_id: b.remoteId })));
    const backs = sql.json(
      batch.filter((b) => b.row.target === "cms" && b.row.kind === "create" && b.remoteId).map((b) => ({ record: b.row.record, slug: b.row.slug, body: { cms_id: b.remoteId } })),
    );
    await sql.unsafe(
      `with d as (update outbox set status = 'done', remote_id = v.remote_id
                    from jsonb_to_recordset($1::jsonb) v(id bigint, remote_id text)
                   where outbox.id = any(array(select (x->>'id')::bigint from jsonb_array_elements($1::jsonb) x)) and outbox.id = v.id)
       insert into outbox (target, kind, slug, record, body) select 'dashboard', 'patch', w.slug, w.record, w.body
         from jsonb_to_recordset($2::jsonb) w(record text, slug text, body jsonb)`,
      [done, backs],
      { prepare: true },
    );
  }
}
/** Starts a write when none is under way and outcomes wait; a write that ends starts the next. */
function pump(): void {
  if (writing || finished.length === 0) return;
  writing = record().finally(() => {
    writing = null;
    pump();
  });
}
function finish(row: TRow, remoteId: string | null): void {
  finished.push({ row, remoteId });
  pump();
}

async function main(): Promise<void> {
  // Setup, not timed: the queue holds a CMS and a Lead Centre create for every Dashboard industry.
  await sql.unsafe(`create table outbox (id bigint generated always as identity primary key, target text not null, kind text not null,
    slug text not null, record text not null, body jsonb not null, status text not null default 'pending', remote_id text)`);
  await sql.unsafe(`create index outbox_pending on outbox (id) where status = 'pending'`);
  const docs: { id: number; name: string; slug: string; description: string; is_active: boolean }[] = [];
  for (let page = 1; ; page++) {
    const res = await send("GET", "dashboard", `/api/industries?page=${page}&per_page=200`);
    docs.push(...(res.data as typeof docs));
    if (!(res.meta as { has_more: boolean }).has_more) break;
  }
  const rows = docs.flatMap((d) => [
    { target: "cms", kind: "create", slug: d.slug, record: String(d.id), body: { name: d.name, slug: d.slug, description: d.description, active: d.is_active } },
    { target: "lead-centre", kind: "create", slug: d.slug, record: String(d.id), body: { title: d.name, slug: d.slug, summary: d.description, enabled: d.is_active } },
  ]);
  await sql.unsafe(`insert into outbox (target, kind, slug, record, body) select * from jsonb_to_recordset($1::jsonb) as r(target text, kind text, slug text, record text, body jsonb)`, [sql.json(rows)]);
  await sql.unsafe("analyze outbox");

  const t0 = performance.now();
  let sending = 0;
  let writes = 0;
  const inFlight = new Set<Promise<void>>();
  // A slot frees as soon as its request is done (its outcome is recorded behind it), as in the worker.
  let freed!: () => void;
  let slot = new Promise<void>((r) => (freed = r));
  for (;;) {
    const free = concurrency - sending;
    if (free >= Math.max(1, concurrency / 2) || inFlight.size === 0) {
      const claimed = await sql.unsafe<TRow[]>(
        // Committed without waiting for a flush, as Concord's claim is (drizzle/0012): a claim lost in a crash is redone.
        `with no_flush as (select set_config('synchronous_commit', 'off', true))
         update outbox set status = 'in_flight' from no_flush where id in (select id from outbox where status = 'pending' order by id limit $1 for update skip locked)
         returning id, target, kind, slug, record, body`,
        [free],
        { prepare: true },
      );
      if (claimed.length > 0) {
        sending += claimed.length;
        const found = lookUp(claimed).catch(() => new Set<string>());
        for (const row of claimed) {
          // A write that throws (a refused connection) counts as failed and is recorded as done, as a dead delivery would be.
          const p: Promise<void> = found
            .then((f) => writeOne(row, f))
            .catch(() => {
              failed++;
              return null;
            })
            .then((remoteId) => {
              sending--;
              writes++;
              freed();
              slot = new Promise<void>((r) => (freed = r));
              finish(row, remoteId);
            })
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        continue;
      }
    }
    // Wait for a slot, or for a recorded outcome that queued a write-back; with neither, the queue may be empty.
    if (inFlight.size > 0 || writing) await Promise.race([slot, ...inFlight, ...(writing ? [writing] : [])]);
    else if (finished.length > 0) pump();
    else if ((await sql<{ n: number }[]>`select count(*)::int as n from outbox where status <> 'done'`)[0]!.n === 0) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  emitResult({ writes, seconds: round(seconds, 2), perSecond: round(writes / seconds), failed, lookups, concurrency });
  await sql.end();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
