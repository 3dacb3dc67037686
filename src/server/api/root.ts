import { apiKeysRouter } from "./routers/api-keys";
import { auditRouter } from "./routers/audit";
import { conflictsRouter } from "./routers/conflicts";
import { runsRouter } from "./routers/runs";
import { schedulesRouter } from "./routers/schedules";
import { deliveriesRouter } from "./routers/deliveries";
import { driftRouter } from "./routers/drift";
import { duplicatesRouter } from "./routers/duplicates";
import { fleetRouter } from "./routers/fleet";
import { linksRouter } from "./routers/links";
import { overviewRouter } from "./routers/overview";
import { recordsRouter } from "./routers/records";
import { systemsRouter } from "./routers/systems";
import { usersRouter } from "./routers/users";
import { webhooksRouter } from "./routers/webhooks";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  users: usersRouter,
  audit: auditRouter,
  runs: runsRouter,
  schedules: schedulesRouter,
  conflicts: conflictsRouter,
  links: linksRouter,
  duplicates: duplicatesRouter,
  drift: driftRouter,
  fleet: fleetRouter,
  systems: systemsRouter,
  deliveries: deliveriesRouter,
  webhooks: webhooksRouter,
  overview: overviewRouter,
  records: recordsRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
