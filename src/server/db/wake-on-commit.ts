import type { Db } from "./client";

/** What committed work a wake-up announces: deliveries that can go, or webhook events stored in the inbox. */
export type TWork = "deliveries" | "inbox";
type TListener = (work: ReadonlySet<TWork>) => void;
type TTransactional = { transaction: (fn: (tx: TTransactional) => Promise<unknown>, config?: unknown) => Promise<unknown> };

/** Who is told when work commits through a database handle (an engine's workers, in this process). */
const listeners = new WeakMap<object, Set<TListener>>();
/** Each open transaction (and each savepoint in it): what it has made claimable so far. */
const open = new WeakMap<object, Set<TWork>>();
const tracked = new WeakSet<object>();

/**
 * Workers are woken by committing work, never by hand: the code that makes work claimable (queues a delivery,
 * stores a webhook event, puts a delivery back to pending, releases deliveries a listing held, enables a
 * system) calls this with the handle it wrote through. Inside a transaction the wake-up waits for the commit
 * (a worker woken earlier would not see the rows yet; a rollback wakes nobody); outside one it goes at once.
 * A savepoint rolled back inside a committed transaction may still wake: a wake-up only makes workers look.
 */
export function wakeOnCommit(db: Db, work: TWork = "deliveries"): void {
  const pending = open.get(db);
  if (pending) pending.add(work);
  else tell(db, new Set([work]));
}

/** Calls `fn` after every commit through `db` that made work claimable (wakeOnCommit). Returns the unsubscribe. */
export function onWorkCommitted(db: Db, fn: TListener): () => void {
  track(db as unknown as TTransactional);
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

function tell(root: object, work: ReadonlySet<TWork>): void {
  for (const fn of listeners.get(root) ?? []) {
    try {
      fn(work);
    } catch {
      // a listener's failure must not fail the write that committed
    }
  }
}

/** Every transaction begun on `db` from now on collects its wake-ups and hands them over once it has committed. */
function track(db: TTransactional): void {
  if (tracked.has(db)) return;
  tracked.add(db);
  const begin = db.transaction.bind(db);
  db.transaction = async (fn, config) => {
    const work = new Set<TWork>();
    const result = await begin((tx) => {
      adopt(tx, work);
      return fn(tx);
    }, config);
    if (work.size) tell(db, work);
    return result;
  };
}

function adopt(tx: TTransactional, work: Set<TWork>): void {
  open.set(tx, work);
  const savepoint = tx.transaction.bind(tx);
  tx.transaction = (fn, config) =>
    savepoint((inner) => {
      adopt(inner, work);
      return fn(inner);
    }, config);
}
