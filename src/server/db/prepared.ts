/**
 * Every statement Drizzle sends through this client is prepared by name, as postgres-js prepares its own by default.
 *
 * Drizzle asks postgres-js not to prepare a statement unless the caller built it with `.prepare()`. postgres-js then
 * sends a statement with parameters in two round trips: Parse and Describe, a wait for the parameter types, then Bind
 * and Execute. Postgres parses and plans it again each time. Prepared, a statement costs one round trip after its
 * first use on a connection. That is about 0.2 ms a statement on loopback, and a change applied from a webhook
 * makes nine of them.
 *
 * Only for a direct connection. Behind a transaction-mode pooler the client is made with `prepare: false`, and
 * postgres-js lets that win over what a statement asks for (named statements would not survive there). A
 * connection keeps what it prepared until postgres-js retires it (`max_lifetime`, 30 to 60 minutes by default), so
 * the statements an IN list of every length makes are dropped with it.
 */
type TClient = {
  unsafe: (query: string, params?: unknown[], options?: Record<string, unknown>) => unknown;
  begin: (...args: unknown[]) => Promise<unknown>;
  savepoint?: (...args: unknown[]) => Promise<unknown>;
};

export function preparingEverything<T extends object>(client: T): T {
  const c = client as unknown as TClient;
  /** `begin([mode], fn)` and `savepoint([name], fn)`: the transaction's own client prepares too. */
  const wrapScope = (open: (...args: unknown[]) => Promise<unknown>) => (...args: unknown[]) => {
    const fn = args.pop() as (inner: object) => unknown;
    return open(...args, (inner: object) => fn(preparingEverything(inner)));
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe") return (query: string, params?: unknown[], options?: Record<string, unknown>) => c.unsafe(query, params, { ...options, prepare: true });
      if (prop === "begin") return wrapScope(c.begin);
      if (prop === "savepoint" && c.savepoint) return wrapScope(c.savepoint);
      return Reflect.get(target, prop, receiver);
    },
  });
}
