import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import type { TActor } from "./actor";
import { countActiveAdmins, getUserOrThrow } from "./get-user-or-throw";
import { toUserView, type TUserView } from "./user-view";
import { writeAudit } from "./write-audit";

export const ZSetUserDisabledInput = z.object({ userId: z.uuid(), disabled: z.boolean() });

/** Disabling a user ends their sessions at their next request (the session callback re-checks). */
export async function setUserDisabled({ db, actor, input }: { db: Db; actor: TActor; input: z.input<typeof ZSetUserDisabledInput> }): Promise<TUserView> {
  const { userId, disabled } = ZSetUserDisabledInput.parse(input);
  if (disabled && actor.kind === "user" && actor.id === userId) {
    throw new SyncError("CONFLICT", "You cannot disable yourself.");
  }
  return db.transaction(async (tx) => {
    const before = await getUserOrThrow(tx, userId);
    if (disabled && before.role === "admin" && before.disabledAt === null && (await countActiveAdmins(tx)) <= 1) {
      throw new SyncError("CONFLICT", "This is the last active admin: make another admin first.");
    }
    const [row] = await tx
      .update(users)
      .set({ disabledAt: disabled ? (before.disabledAt ?? new Date()) : null, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning();
    const after = toUserView(row!);
    await writeAudit(tx, { actor, action: "users.setDisabled", target: `user:${after.email}`, before: toUserView(before), after });
    return after;
  });
}
