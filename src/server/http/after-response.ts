import { after } from "next/server";
import type { TBackground, TLogger } from "~/server/engine/context";

/**
 * Serverless: work a request starts goes through Next's `after()` (the host keeps the function alive for it,
 * up to its maxDuration), bounded by `budgetMs`. Outside a request (a script) it simply runs.
 */
export function afterResponse(log: TLogger, budgetMs: number): TBackground {
  const run = (task: () => Promise<unknown>) => task().catch((err: unknown) => log.error({ err }, "background work failed"));
  return {
    budgetMs,
    defer: (task) => {
      try {
        after(() => run(task));
      } catch {
        void run(task);
      }
    },
  };
}
