import { auth } from "~/server/auth";
import { getEngine } from "~/server/engine";
import { lastEventIdFrom } from "~/server/http/sse";
import { withRoute } from "~/server/http/with-route";
import { requireSessionForStream } from "~/server/services/events/require-session";
import { streamEvents } from "~/server/services/events/stream-events";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Every run's progress and every delivery outcome, live (server-sent events; resumes from Last-Event-ID). */
export const GET = withRoute(async (req: Request) => {
  const denied = requireSessionForStream(await auth());
  if (denied) return denied;
  return streamEvents({ engine: await getEngine(), lastEventId: lastEventIdFrom(req), signal: req.signal });
});
