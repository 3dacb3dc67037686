import { randomBytes } from "node:crypto";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { hashPassword } from "~/server/auth/passwords";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import type { TActor } from "./actor";
import { findUserByEmail } from "./get-user-or-throw";
import { toUserView, ZEmail, ZPassword, ZRole, type TUserView } from "./user-view";
import { writeAudit } from "./write-audit";

export const ZCreateUserInput = z.object({
  email: ZEmail,
  name: z.string().trim().max(120).default(""),
  role: ZRole,
  /** When omitted a temporary password is generated and returned once. */
  password: ZPassword.optional(),
});
export type TCreateUserInput = z.input<typeof ZCreateUserInput>;

export interface CreateUserResult {
  user: TUserView;
  /** Only set when Concord generated the password: show it once, it is not stored in clear. */
  temporaryPassword: string | null;
}

export async function createUser({ db, actor, input }: { db: Db; actor: TActor; input: TCreateUserInput }): Promise<CreateUserResult> {
  const data = ZCreateUserInput.parse(input);
  if (await findUserByEmail(db, data.email)) {
    throw new SyncError("CONFLICT", `A user with the email ${data.email} already exists.`, { field: "email" });
  }
  const temporaryPassword = data.password ? null : randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(data.password ?? temporaryPassword!);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(users).values({ email: data.email, name: data.name, role: data.role, passwordHash }).returning();
    const user = toUserView(row!);
    await writeAudit(tx, { actor, action: "users.create", target: `user:${user.email}`, after: { ...user, password: "set" } });
    return { user, temporaryPassword };
  });
}
