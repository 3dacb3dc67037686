import path from "node:path";
import { env } from "~/env";
import { dbOptionsFromEnv } from "~/server/db";
import { openDb, PgliteBusyError } from "~/server/db/client";
import type { Backend } from "./backend";
import { directBackend } from "./direct";
import { remoteBackend } from "./remote";

export interface TGlobalOptions {
  /** CONCORD_URL: call the running Concord there instead of opening the database. */
  url?: string;
  /** CONCORD_API_KEY: the key for remote mode. */
  apiKey?: string;
}

/**
 * Picks how to reach Concord and says which on the first line of output:
 * - CONCORD_URL set → through that Concord's API (tRPC over HTTP, with CONCORD_API_KEY);
 * - otherwise directly on the database; on embedded PGlite held by a running Concord (one opener
 *   only) → through the API of that Concord at http://localhost:$PORT.
 */
export async function connect(globals: TGlobalOptions): Promise<Backend> {
  let backend: Backend;
  if (globals.url) {
    backend = remoteBackend({ url: globals.url, apiKey: globals.apiKey, why: "CONCORD_URL is set" });
  } else {
    // Refused before the database is touched: on Postgres (or in production) the key must be set.
    env.assertReadyToWork();
    try {
      const handle = await openDb({ ...dbOptionsFromEnv(), max: 4 });
      await handle.migrate();
      const where = env.DATABASE_URL ? "directly on Postgres (DATABASE_URL)" : `directly on embedded PGlite at ${path.resolve(env.PGLITE_DIR)}`;
      backend = await directBackend(handle, where);
    } catch (err) {
      if (!(err instanceof PgliteBusyError)) throw err;
      const why = `Concord (process ${err.pid}) holds embedded PGlite at ${err.dir}, and only one process may open it`;
      backend = remoteBackend({ url: `http://localhost:${env.PORT}`, apiKey: globals.apiKey, why });
    }
  }
  console.log(`concord: ${backend.mode}`);
  return backend;
}

/** Runs `fn` with a backend and always closes it (PGlite must be released). */
export async function withBackend<T>(globals: TGlobalOptions, fn: (b: Backend) => Promise<T>): Promise<T> {
  const backend = await connect(globals);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}
