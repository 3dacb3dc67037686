import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { hashPassword, verifyPassword } from "~/server/auth/passwords";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import type { TActor } from "./actor";
import { getUserOrThrow } from "./get-user-or-throw";
import { ZPassword } from "./user-view";
import { writeAudit } from "./write-audit";

export const ZChangeOwnPasswordInput = z
  .object({ currentPassword: z.string().min(1, "your current password"), newPassword: ZPassword })
  .refine((v) => v.currentPassword !== v.newPassword, { path: ["newPassword"], message: "must differ from the current password" });

/** Sessions issued before the change stop working (the session callback compares the change time). */
export async function changeOwnPassword({ db, actor, input }: { db: Db; actor: TActor; input: z.input<typeof ZChangeOwnPasswordInput> }): Promise<void> {
  const data = ZChangeOwnPasswordInput.parse(input);
  if (actor.kind !== "user" || !actor.id) throw new SyncError("FORBIDDEN", "Only a signed-in person can change their password.");
  const user = await getUserOrThrow(db, actor.id);
  if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
    throw new SyncError("BAD_REQUEST", "The current password is wrong.", { field: "currentPassword" });
  }
  const passwordHash = await hashPassword(data.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, user.id));
    await writeAudit(tx, { actor, action: "users.changeOwnPassword", target: `user:${user.email}`, before: { password: "old" }, after: { password: "new" } });
  });
}
