import { randomUUID } from "node:crypto";
import { pgClientOptions, resolvePgTarget } from "~/server/db/pooling";
import type { EngineBus, TEngineEvent } from "./bus";
import type { TLogger } from "./context";

const CHANNEL = "concord_events";

/** Shortest gap between two wake-up notifications from one process (wake-ups in between go as one). */
const WAKE_GAP_MS = 20;
/** How long the next wake-up waits for an unanswered NOTIFY before it is sent anyway. */
const NOTIFY_WAIT_MS = 5_000;

/**
 * Carries wake-ups between processes on one Postgres with LISTEN/NOTIFY: a webhook stored by an app
 * process wakes a worker process at once. Only wake-ups cross: progress reaches browsers on any process
 * through the engine event log (its own NOTIFY per written batch), and a NOTIFY per delivery event would
 * cost every worker a statement per delivery. Wake-ups close together go as one notification
 * (see WAKE_GAP_MS).
 *
 * Behind a transaction-mode pooler LISTEN does not work (the session it registers on is lent to others):
 * it goes to the unpooled URL when one is given; without one this process only sends (a NOTIFY is one
 * statement, fine through the pooler, and wakes processes that have a direct connection) and learns of
 * other processes' work from the workers' poll (at most a second).
 */
export async function bridgeOverPostgres(
  bus: EngineBus,
  databaseUrl: string,
  log: TLogger,
  opts: { pooled?: boolean; unpooledUrl?: string | null } = {},
): Promise<() => Promise<void>> {
  const { default: postgres } = await import("postgres");
  const target = resolvePgTarget({ url: databaseUrl, ...opts });
  const sql = target.directUrl ? postgres(target.directUrl, { max: 1, ...pgClientOptions({ pooled: false }) }) : postgres(target.url, { max: 1, ...pgClientOptions(target) });
  const me = randomUUID();
  if (target.directUrl) {
    await sql.listen(CHANNEL, (payload) => {
      try {
        const { from, event } = JSON.parse(payload) as { from: string; event: TEngineEvent };
        if (from !== me) bus.emit(event, { local: true });
      } catch (err) {
        log.warn({ err }, "bad engine notification");
      }
    });
  } else {
    log.info({}, "DATABASE_URL is pooled and DATABASE_URL_UNPOOLED is not set: no LISTEN, other processes' work is found by polling");
  }
  // At most one NOTIFY in flight, and none sooner than WAKE_GAP_MS after the last: a busy worker's commits
  // (every success that queues a write-back) would otherwise cost a statement each. The first wake-up after a
  // quiet spell goes at once, so an idle system wakes its workers with no added delay.
  let pending: { inbox: boolean } | null = null;
  let sending = false;
  let lastSent = 0;
  const send = (): void => {
    if (!pending || sending) return;
    const wait = lastSent + WAKE_GAP_MS - Date.now();
    if (wait > 0) {
      sending = true;
      setTimeout(() => {
        sending = false;
        send();
      }, wait).unref?.();
      return;
    }
    const wake: TEngineEvent = pending.inbox ? { type: "wake", inbox: true } : { type: "wake" };
    pending = null;
    sending = true;
    lastSent = Date.now();
    // A NOTIFY that never answers (a connection gone silent) must not hold every later wake-up behind it.
    const notified = sql.notify(CHANNEL, JSON.stringify({ from: me, event: wake })).catch((err: unknown) => log.warn({ err }, "notify failed"));
    let timer: NodeJS.Timeout | undefined;
    void Promise.race([notified, new Promise<void>((resolve) => (timer = setTimeout(resolve, NOTIFY_WAIT_MS).unref()))])
      .finally(() => {
        clearTimeout(timer);
        sending = false;
        send();
      });
  };
  bus.bridge((event) => {
    if (event.type !== "wake") return;
    if (pending) pending.inbox ||= !!event.inbox;
    else pending = { inbox: !!event.inbox };
    if (!sending) setImmediate(send);
  });
  return () => sql.end({ timeout: 2 });
}
