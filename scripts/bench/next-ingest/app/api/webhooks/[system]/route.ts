// The ingest baseline inside Next: verify the Standard Webhooks signature with Concord's verifyWebhook, insert one
// row into bench_events (postgres, pool of 10) and answer 202 — what bare-ingest-server.ts does, as a route handler.
import postgres from "postgres";
import { verifyWebhook } from "../../../../../../../src/sync/signature";

export const dynamic = "force-dynamic";

const g = globalThis as unknown as { __benchSql?: postgres.Sql; __benchReady?: Promise<unknown> };
const sql = (g.__benchSql ??= postgres(process.env.BENCH_DB_URL!, { max: 10, onnotice: () => {} }));
const ready = (g.__benchReady ??= sql`create table if not exists bench_events (id bigserial primary key, webhook_id text unique, body text)`);

export async function POST(req: Request): Promise<Response> {
  await ready;
  const body = Buffer.from(await req.arrayBuffer());
  const h = (k: string) => req.headers.get(k) ?? undefined;
  const verdict = verifyWebhook({ secrets: [process.env.BENCH_SECRET!], headers: { id: h("webhook-id"), timestamp: h("webhook-timestamp"), signature: h("webhook-signature") }, body, now: Date.now });
  if (!verdict.ok) return new Response(null, { status: 401 });
  await sql`insert into bench_events (webhook_id, body) values (${h("webhook-id")!}, ${body.toString("utf8")}) on conflict (webhook_id) do nothing`;
  return Response.json({ received: true }, { status: 202 });
}
