import "server-only";
import type { Session } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "~/server/auth";

/** The session of this request, read once however many layouts and pages ask. */
export const currentSession = cache(() => auth());

/**
 * Layouts and pages render in parallel, so each page that loads data checks for itself
 * (a page must not query as nobody while the layout is busy redirecting).
 */
export async function requireSession(): Promise<Session & { user: NonNullable<Session["user"]> }> {
  const session = await currentSession();
  if (!session?.user) redirect("/signin");
  return session as Session & { user: NonNullable<Session["user"]> };
}
