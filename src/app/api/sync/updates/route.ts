import { auth } from "~/server/auth";
import { getEngine } from "~/server/engine";
import { lastEventIdFrom } from "~/server/http/sse";
import { withRoute } from "~/server/http/with-route";
import { streamForSession } from "~/server/services/events/stream-for-session";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Every run's progress and every delivery outcome, live (server-sent events; resumes from Last-Event-ID). */
export const GET = withRoute(async (req: Request) => {
  return streamForSession({ engine: await getEngine(), session: await auth(), lastEventId: lastEventIdFrom(req), signal: req.signal });
});
