/**
 * Group commit for the delivery path's per-delivery writes. Callers hand in one item each and wait for it to be
 * written; items that arrive in the same turn of the event loop, or while every write slot is busy, go out together
 * in the next write: one statement and one commit for many deliveries when the worker is busy, and no added wait
 * when it is idle. Each caller's promise settles only once its own item is committed, so an ordering a caller relies on
 * ("noted before the request goes out") holds as before. If a grouped write fails, each item is written alone, so
 * one bad item fails only its own caller.
 */
export class GroupWriter<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly max = 64,
    /** Writes under way at once: more than one, so an item never waits behind a whole slow write when a connection is free. */
    private readonly parallel = 3,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.running < this.parallel) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.parallel && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.max);
      this.running++;
      void this.flush(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async flush(batch: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[]): Promise<void> {
    try {
      const out = await this.write(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(out[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
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
}

/** One writer per engine (or any owner object) and purpose, made on first use. */
export function writerFor<K extends object, T, R>(cache: WeakMap<K, GroupWriter<T, R>>, owner: K, make: () => GroupWriter<T, R>): GroupWriter<T, R> {
  let w = cache.get(owner);
  if (!w) cache.set(owner, (w = make()));
  return w;
}
