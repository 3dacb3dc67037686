import { randomUUID } from "node:crypto";
import type { EngineBus, TEngineEvent } from "./bus";
import type { TLogger } from "./context";

const CHANNEL = "concord_events";

/**
 * Carries engine events between processes on one Postgres with LISTEN/NOTIFY: a webhook stored by an
 * app process wakes a worker process at once, and a worker's progress reaches browsers on any process.
 */
export async function bridgeOverPostgres(bus: EngineBus, databaseUrl: string, log: TLogger): Promise<() => Promise<void>> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const me = randomUUID();
  await sql.listen(CHANNEL, (payload) => {
    try {
      const { from, event } = JSON.parse(payload) as { from: string; event: TEngineEvent };
      if (from !== me) bus.emit(event, { local: true });
    } catch (err) {
      log.warn({ err }, "bad engine notification");
    }
  });
  bus.bridge((event) => {
    const payload = JSON.stringify({ from: me, event });
    if (payload.length > 7900) return; // NOTIFY payloads are capped at 8000 bytes
    sql.notify(CHANNEL, payload).catch((err: unknown) => log.warn({ err }, "notify failed"));
  });
  return () => sql.end({ timeout: 2 });
}
