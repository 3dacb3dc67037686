import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { toUserView, type TUserView } from "./user-view";

/**
 * The user behind a session, re-read on every request so a role change applies at once and a disabled
 * user or a password changed after the session began ends it. Null means: the session is over.
 */
export async function getSessionUser(db: Db, userId: string, issuedAtMs: number): Promise<TUserView | null> {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!row || row.disabledAt) return null;
  if (row.passwordChangedAt.getTime() > issuedAtMs + 1000) return null;
  return toUserView(row);
}
