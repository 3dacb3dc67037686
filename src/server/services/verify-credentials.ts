import { eq } from "drizzle-orm";
import { z } from "zod";
import { SyncError } from "~/sync/errors";
import { verifyPassword } from "~/server/auth/passwords";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { findUserByEmail } from "./get-user-or-throw";
import { admitSignIn, lockoutMessage, signInSucceeded } from "./sign-in-throttle";
import type { TUserView } from "./user-view";
import { toUserView } from "./user-view";

const ZCredentials = z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(200) });

/**
 * Checks an email and password. Wrong, unknown and disabled all answer the same
 * (UNAUTHORIZED) so the answer reveals nothing; a locked-out email (from a failing address) or an
 * address that tried too often answers RATE_LIMITED. The attempt is counted before the password is checked
 * (`admitSignIn`), so parallel guesses cannot outrun the limit. `address`: the client's (`clientAddress`).
 */
export async function verifyCredentials({
  db,
  input,
  address = null,
  now = () => new Date(),
}: {
  db: Db;
  input: unknown;
  address?: string | null;
  now?: () => Date;
}): Promise<TUserView> {
  const parsed = ZCredentials.safeParse(input);
  if (!parsed.success || !parsed.data.email || !parsed.data.password) {
    throw new SyncError("UNAUTHORIZED", "Wrong email or password.");
  }
  const { email, password } = parsed.data;
  const admission = await admitSignIn(db, email, address);
  if (!admission.ok) throw new SyncError("RATE_LIMITED", lockoutMessage(admission.retryAfterMs), { retryAfterMs: admission.retryAfterMs });

  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!user || !ok || user.disabledAt) throw new SyncError("UNAUTHORIZED", "Wrong email or password.");
  await signInSucceeded(db, admission.ticket);
  await db.update(users).set({ lastSignInAt: now() }).where(eq(users.id, user.id));
  return toUserView(user);
}
