import { eq, sql } from "drizzle-orm";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { users, type TUserRow } from "~/server/db/schema";

export async function getUserOrThrow(db: Db, id: string): Promise<TUserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw new SyncError("NOT_FOUND", "No such user.");
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<TUserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return row;
}

/** How many enabled admins there are, so the last one cannot be removed. */
export async function countActiveAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.role} = 'admin' and ${users.disabledAt} is null`);
  return row?.n ?? 0;
}
