import { apiKeysRouter } from "./routers/api-keys";
import { auditRouter } from "./routers/audit";
import { conflictsRouter } from "./routers/conflicts";
import { runsRouter } from "./routers/runs";
import { schedulesRouter } from "./routers/schedules";
import { deliveriesRouter } from "./routers/deliveries";
import { linksRouter } from "./routers/links";
import { recordsRouter } from "./routers/records";
import { systemsRouter } from "./routers/systems";
import { usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  users: usersRouter,
  audit: auditRouter,
  runs: runsRouter,
  schedules: schedulesRouter,
  conflicts: conflictsRouter,
  links: linksRouter,
  systems: systemsRouter,
  deliveries: deliveriesRouter,
  records: recordsRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
