/**
 * The statements Drizzle sends through this client are prepared by name, as postgres-js prepares its own by default.
 *
 * Drizzle asks postgres-js not to prepare a statement unless the caller built it with `.prepare()`. postgres-js then
 * sends a statement with parameters in two round trips: Parse and Describe, a wait for the parameter types, then Bind
 * and Execute. Postgres parses and plans it again each time. Prepared, a statement costs one round trip after its
 * first use on a connection. That is about 0.2 ms a statement on loopback, and a change applied from a webhook
 * makes nine of them.
 *
 * Only statements with at most MAX_PREPARED_PARAMS parameters. A multi-row insert or a long IN list makes a new text
 * for every length, and a connection keeps every statement it prepared until postgres-js retires it (`max_lifetime`,
 * 30 to 60 minutes by default): prepared, a page of 200 rows in every size would keep hundreds of large statements
 * on each connection. Such a statement does a page's work in one go, so its second round trip matters little.
 * A statement its caller asked to prepare (`runText`, Drizzle's `.prepare()`) is prepared whatever its size.
 *
 * Only for a direct connection. Behind a transaction-mode pooler the client is made with `prepare: false`, and
 * postgres-js lets that win over what a statement asks for (named statements would not survive there).
 */
export const MAX_PREPARED_PARAMS = 64;

type TClient = {
  unsafe: (query: string, params?: unknown[], options?: Record<string, unknown>) => unknown;
  begin: (...args: unknown[]) => Promise<unknown>;
  savepoint?: (...args: unknown[]) => Promise<unknown>;
};

export function preparingStatements<T extends object>(client: T): T {
  const c = client as unknown as TClient;
  /** `begin([mode], fn)` and `savepoint([name], fn)`: the transaction's own client prepares too. */
  const wrapScope = (open: (...args: unknown[]) => Promise<unknown>) => (...args: unknown[]) => {
    const fn = args.pop() as (inner: object) => unknown;
    return open(...args, (inner: object) => fn(preparingStatements(inner)));
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe")
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          c.unsafe(query, params, { ...options, prepare: options?.prepare === true || (params?.length ?? 0) <= MAX_PREPARED_PARAMS });
      if (prop === "begin") return wrapScope(c.begin);
      if (prop === "savepoint" && c.savepoint) return wrapScope(c.savepoint);
      return Reflect.get(target, prop, receiver);
    },
  });
}
