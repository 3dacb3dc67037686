import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { auth } from "~/server/auth";
import { getDb } from "~/server/db";
import { getEngine } from "~/server/engine";
import { assertSameOriginWrite } from "~/server/http/same-origin";
import { withRoute } from "~/server/http/with-route";

export const dynamic = "force-dynamic";
/** Serverless: a run started here goes on in after() within CRON_BUDGET_MS, which must fit in this. */
export const maxDuration = 60;

const handler = withRoute(async (req: Request) => {
  assertSameOriginWrite(req);
  const [{ db }, session, engine] = await Promise.all([getDb(), auth(), getEngine()]);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ db, session, engine, headers: req.headers }),
  });
});

export { handler as GET, handler as POST };
