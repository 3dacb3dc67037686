import type { Engine } from "~/server/engine/context";
import { getSessionUser } from "../get-session-user";
import { requireSessionForStream } from "./require-session";
import { streamEvents, type StreamEventsOptions } from "./stream-events";

/**
 * A live stream for a signed-in user (both SSE routes): 401 without a session or for a user disabled since
 * it was issued; once open, it ends after
 * STREAM_MAX_MS, and as soon as a re-check finds the user disabled, removed or with a password changed since
 * the stream opened. The browser's EventSource then reconnects with Last-Event-ID and is authenticated again.
 */
export async function streamForSession(
  opts: { engine: Engine; session: { user?: { id?: string | null } | null } | null | undefined } & Omit<StreamEventsOptions, "engine" | "stillAllowed">,
): Promise<Response> {
  const denied = requireSessionForStream(opts.session);
  if (denied) return denied;
  const userId = opts.session!.user!.id!;
  const openedAt = Date.now();
  const { engine, session: _session, ...rest } = opts;
  const stillAllowed = async () => (await getSessionUser(engine.db, userId, openedAt)) !== null;
  if (!(await stillAllowed())) return requireSessionForStream(null)!;
  return streamEvents({ ...rest, engine, stillAllowed });
}
