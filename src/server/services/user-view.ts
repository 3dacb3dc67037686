import { z } from "zod";
import type { TUserRow } from "~/server/db/schema";

export const ZRole = z.enum(["admin", "viewer"]);
export const ZEmail = z.email("a valid email address").trim().toLowerCase().max(254);
export const ZPassword = z.string().min(8, "at least 8 characters").max(200, "at most 200 characters");

export const ZUserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  disabled: z.boolean(),
  lastSignInAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TUserView = z.infer<typeof ZUserView>;

/** What leaves the server about a user: never the password hash. */
export function toUserView(row: TUserRow): TUserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabledAt !== null,
    lastSignInAt: row.lastSignInAt,
    createdAt: row.createdAt,
  };
}
