import { randomUUID } from "node:crypto";
import type { EngineBus, TEngineEvent } from "./bus";
import type { TLogger } from "./context";

const CHANNEL = "concord_events";

/**
 * Carries wake-ups between processes on one Postgres with LISTEN/NOTIFY: a webhook stored by an app
 * process wakes a worker process at once. Only wake-ups cross: progress reaches browsers on any process
 * through the engine event log (its own NOTIFY per written batch), and a NOTIFY per delivery event would
 * cost every worker a statement per delivery. Wake-ups in one tick go as one notification.
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
  let pending: { inbox: boolean } | null = null;
  bus.bridge((event) => {
    if (event.type !== "wake") return;
    if (pending) {
      pending.inbox ||= !!event.inbox;
      return;
    }
    pending = { inbox: !!event.inbox };
    setImmediate(() => {
      const wake: TEngineEvent = pending!.inbox ? { type: "wake", inbox: true } : { type: "wake" };
      pending = null;
      sql.notify(CHANNEL, JSON.stringify({ from: me, event: wake })).catch((err: unknown) => log.warn({ err }, "notify failed"));
    });
  });
  return () => sql.end({ timeout: 2 });
}
