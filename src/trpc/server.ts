import "server-only";
import { cache } from "react";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { auth } from "~/server/auth";
import { getDb } from "~/server/db";
import { getEngine } from "~/server/engine";

/** Built once per request (React `cache`), however many server components ask for it; same context as /api/trpc. */
const callerForRequest = cache(async () => {
  const [{ db }, session, engine] = await Promise.all([getDb(), auth(), getEngine()]);
  return createCaller(createTRPCContext({ db, session, engine }));
});

/** A tRPC caller for server components, acting as the signed-in person of this request. */
export async function serverCaller() {
  return callerForRequest();
}
