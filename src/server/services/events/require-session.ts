/** The guard of the live streams: any signed-in user may follow progress; anyone else gets 401. */
export function requireSessionForStream(session: { user?: { id?: string | null } | null } | null | undefined): Response | null {
  if (session?.user?.id) return null;
  return Response.json({ error: { code: "UNAUTHORIZED", message: "Sign in to follow live progress." } }, { status: 401, headers: { "cache-control": "no-store" } });
}
