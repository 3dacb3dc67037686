import { sql } from "drizzle-orm";
import type { DbHandle } from "~/server/db";

export interface THealth {
  status: "ok" | "error";
  db: "pglite" | "postgres";
  down?: string[];
}

/** Is the database answering? Says which driver, never a connection string. */
export async function checkHealth(open: () => Promise<DbHandle>, driverIfDown: "pglite" | "postgres"): Promise<THealth> {
  try {
    const handle = await open();
    await handle.db.execute(sql`select 1`);
    return { status: "ok", db: handle.driver };
  } catch {
    return { status: "error", db: driverIfDown, down: ["database"] };
  }
}
