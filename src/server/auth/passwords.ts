import bcrypt from "bcryptjs";

const COST = 12;
/** A real hash of nothing in particular, compared against when the email is unknown so timing reveals nothing. */
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuYbkrgy6Kx7A2x8pDnM7b0uKH5z2sQ7i";

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, COST);
}

export async function verifyPassword(plain: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(plain, hash ?? DUMMY_HASH);
  return ok && !!hash;
}
