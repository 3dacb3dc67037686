// The ingest baseline: a bare node:http server that reads the body, verifies the Standard Webhooks
// signature with Concord's verifyWebhook, inserts one row into bench_events (postgres, pool of 10)
// and answers 202. Prints "READY <port>" when it listens.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { verifyWebhook } from "~/sync/signature";

const sql = postgres(process.env.BENCH_DB_URL!, { max: 10, onnotice: () => {} });
const secret = process.env.BENCH_SECRET!;

await sql`create table if not exists bench_events (id bigserial primary key, webhook_id text unique, body text)`;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const h = (k: string) => (typeof req.headers[k] === "string" ? (req.headers[k] as string) : undefined);
    const verdict = verifyWebhook({ secrets: [secret], headers: { id: h("webhook-id"), timestamp: h("webhook-timestamp"), signature: h("webhook-signature") }, body, now: Date.now });
    if (!verdict.ok) {
      res.writeHead(401).end();
      return;
    }
    sql`insert into bench_events (webhook_id, body) values (${h("webhook-id")!}, ${body.toString("utf8")}) on conflict (webhook_id) do nothing`.then(
      () => res.writeHead(202, { "content-type": "application/json" }).end('{"received":true}'),
      () => res.writeHead(500).end(),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`));

const stop = () => {
  server.close();
  server.closeAllConnections();
  void sql.end({ timeout: 2 }).finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
