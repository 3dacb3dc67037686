import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import type { TActor } from "./actor";
import { countActiveAdmins, getUserOrThrow } from "./get-user-or-throw";
import { toUserView, ZRole, type TUserView } from "./user-view";
import { writeAudit } from "./write-audit";

export const ZSetUserRoleInput = z.object({ userId: z.uuid(), role: ZRole });

export async function setUserRole({ db, actor, input }: { db: Db; actor: TActor; input: z.input<typeof ZSetUserRoleInput> }): Promise<TUserView> {
  const { userId, role } = ZSetUserRoleInput.parse(input);
  return db.transaction(async (tx) => {
    const before = await getUserOrThrow(tx, userId);
    if (before.role === "admin" && role !== "admin" && before.disabledAt === null && (await countActiveAdmins(tx)) <= 1) {
      throw new SyncError("CONFLICT", "This is the last active admin: make another admin first.");
    }
    const [row] = await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId)).returning();
    const after = toUserView(row!);
    await writeAudit(tx, { actor, action: "users.setRole", target: `user:${after.email}`, before: toUserView(before), after });
    return after;
  });
}
