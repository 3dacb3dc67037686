"use server";

import { signOut } from "~/server/auth";

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}

/** After a password change: end the (already invalid) session and say why on the sign-in page. */
export async function signOutToSignIn(): Promise<void> {
  await signOut({ redirectTo: "/signin?changed=password" });
}
