import { asc } from "drizzle-orm";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { toUserView, type TUserView } from "./user-view";

export async function listUsers({ db }: { db: Db }): Promise<TUserView[]> {
  const rows = await db.select().from(users).orderBy(asc(users.email));
  return rows.map(toUserView);
}
