import { auth } from "~/server/auth";
import { getEngine } from "~/server/engine";
import { lastEventIdFrom } from "~/server/http/sse";
import { withRoute } from "~/server/http/with-route";
import { requireSessionForStream } from "~/server/services/events/require-session";
import { streamEvents } from "~/server/services/events/stream-events";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** One run's progress (phase, counts, percent, current item), live; from its start, or from Last-Event-ID. */
export const GET = withRoute(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const denied = requireSessionForStream(await auth());
  if (denied) return denied;
  const { id } = await params;
  return streamEvents({ engine: await getEngine(), lastEventId: lastEventIdFrom(req), runId: id, signal: req.signal });
});
