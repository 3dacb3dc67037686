import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { verifyPassword } from "~/server/auth/passwords";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { findUserByEmail } from "./get-user-or-throw";
import { clearSignInFailures, lockoutMessage, recordSignInFailure, signInBlockedForMs } from "./sign-in-throttle";
import type { TUserView } from "./user-view";
import { toUserView } from "./user-view";

const ZCredentials = z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(200) });

/**
 * Checks an email and password. Wrong, unknown and disabled all answer the same
 * (UNAUTHORIZED) so the answer reveals nothing; a locked-out email answers RATE_LIMITED.
 */
export async function verifyCredentials({ db, input, now = () => new Date() }: { db: Db; input: unknown; now?: () => Date }): Promise<TUserView> {
  const parsed = ZCredentials.safeParse(input);
  if (!parsed.success || !parsed.data.email || !parsed.data.password) {
    throw new SyncError("UNAUTHORIZED", "Wrong email or password.");
  }
  const { email, password } = parsed.data;
  const blockedMs = await signInBlockedForMs(db, email);
  if (blockedMs > 0) throw new SyncError("RATE_LIMITED", lockoutMessage(blockedMs), { retryAfterMs: blockedMs });

  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok || user.disabledAt) {
    await recordSignInFailure(db, email);
    throw new SyncError("UNAUTHORIZED", "Wrong email or password.");
  }
  await clearSignInFailures(db, email);
  await db.update(users).set({ lastSignInAt: now() }).where(eq(users.id, user.id));
  return toUserView(user);
}
