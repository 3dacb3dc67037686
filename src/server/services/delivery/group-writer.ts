/**
 * Group commit for the delivery path's per-delivery writes. Callers hand in one item each and wait for it to be
 * written; items that arrive while a write is under way (or in the same turn of the event loop) go out together in
 * the next one: one statement and one commit for many deliveries when the worker is busy, and no added wait when
 * it is idle. Each caller's promise settles only once its own item is committed, so an ordering a caller relies on
 * ("noted before the request goes out") holds as before. If a grouped write fails, each item is written alone, so
 * one bad item fails only its own caller.
 */
export class GroupWriter<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly max = 64,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.max);
        try {
          const out = await this.write(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(out[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          await Promise.all(
            batch.map((b) =>
              this.write([b.item]).then(
                (out) => b.resolve(out[0]!),
                (e: unknown) => b.reject(e),
              ),
            ),
          );
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** One writer per engine (or any owner object) and purpose, made on first use. */
export function writerFor<K extends object, T, R>(cache: WeakMap<K, GroupWriter<T, R>>, owner: K, make: () => GroupWriter<T, R>): GroupWriter<T, R> {
  let w = cache.get(owner);
  if (!w) cache.set(owner, (w = make()));
  return w;
}
