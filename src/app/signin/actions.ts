"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { signIn } from "~/server/auth";
import { getDb } from "~/server/db";
import { clientAddress, lockoutMessage, signInBlockedForMs } from "~/server/services/sign-in-throttle";

export interface SignInState {
  error: string | null;
  email: string;
}

const WRONG = "Wrong email or password.";

/** Only same-site paths: never send someone to another origin after signing in. */
function safeCallback(value: FormDataEntryValue | null): string {
  const url = typeof value === "string" ? value : "";
  return url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/";
}

export async function signInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password.", email };

  const { db } = await getDb();
  const address = clientAddress(await headers());
  try {
    // On success this throws Next's redirect, which must propagate.
    await signIn("credentials", { email, password, redirectTo: safeCallback(formData.get("callbackUrl")) });
  } catch (err) {
    if (err instanceof CredentialsSignin && err.code === "rate_limited") {
      return { error: lockoutMessage(await signInBlockedForMs(db, email, address)), email };
    }
    if (err instanceof AuthError) return { error: WRONG, email };
    throw err;
  }
  return { error: null, email };
}
