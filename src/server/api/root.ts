import { auditRouter } from "./routers/audit";
import { conflictsRouter } from "./routers/conflicts";
import { runsRouter } from "./routers/runs";
import { deliveriesRouter } from "./routers/deliveries";
import { linksRouter } from "./routers/links";
import { systemsRouter } from "./routers/systems";
import { usersRouter } from "./routers/users";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  users: usersRouter,
  audit: auditRouter,
  runs: runsRouter,
  conflicts: conflictsRouter,
  links: linksRouter,
  systems: systemsRouter,
  deliveries: deliveriesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
