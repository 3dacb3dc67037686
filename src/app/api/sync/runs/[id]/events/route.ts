import { auth } from "~/server/auth";
import { getEngine } from "~/server/engine";
import { lastEventIdFrom } from "~/server/http/sse";
import { withRoute } from "~/server/http/with-route";
import { streamForSession } from "~/server/services/events/stream-for-session";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** One run's progress (phase, counts, percent, current item), live; from its start, or from Last-Event-ID. */
export const GET = withRoute(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return streamForSession({ engine: await getEngine(), session: await auth(), lastEventId: lastEventIdFrom(req), runId: id, signal: req.signal });
});
