import { env } from "~/env";
import { dbOptionsFromEnv } from "~/server/db";
import { openDb, PgliteBusyError, type DbHandle } from "~/server/db/client";

/** Opens the same database the server uses; on PGlite, says clearly when the server holds it. */
export async function openCliDb(): Promise<DbHandle & { where: string }> {
  const where = env.DATABASE_URL ? "Postgres (DATABASE_URL)" : `embedded PGlite at ${env.PGLITE_DIR}`;
  try {
    const handle = await openDb({ ...dbOptionsFromEnv(), max: 2 });
    await handle.migrate();
    return { ...handle, where };
  } catch (err) {
    if (err instanceof PgliteBusyError) {
      throw new Error(
        `${err.message}\nStop Concord first and run this again, or run Concord on Postgres (set DATABASE_URL) so several processes can share it.`,
      );
    }
    throw err;
  }
}
