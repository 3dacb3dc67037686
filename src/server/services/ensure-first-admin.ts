import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { systemActor } from "./actor";
import { createUser } from "./create-user";

/** At start-up: when no admin exists and ADMIN_EMAIL / ADMIN_PASSWORD are given, create that admin. */
export async function ensureFirstAdmin({ db, email, password }: { db: Db; email?: string; password?: string }): Promise<"created" | "exists" | "skipped"> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(sql`${users.role} = 'admin'`);
  if ((row?.n ?? 0) > 0) return "exists";
  if (!email || !password) return "skipped";
  await createUser({ db, actor: systemActor, input: { email, password, role: "admin", name: "Administrator" } });
  return "created";
}
