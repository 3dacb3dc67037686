import { eq } from "drizzle-orm";
import { runs, type TRunRow } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import { continueRun, type ExecuteRunOptions } from "./continue-run";

export { applyDeletes } from "./run-deletes";
export type { ExecuteRunOptions } from "./continue-run";

/**
 * Runs a run to its end in this process (a long-lived one: `npm start`, `npm run worker`, the CLI), by kind:
 * - full: read every document, apply it, then treat linked records the listing no longer holds as
 *   deleted — behind the mass-delete guard; a listing that fails infers no deletes at all;
 * - dry-run: the same reading, planned (per record and field) instead of applied;
 * - incremental: only documents changed since the cursor minus an overlap; never infers deletes;
 * - selective: given documents and/or a date range; never infers deletes.
 * A complete full or incremental read moves the cursor to the instant it STARTED (see incremental-window).
 * Cancelling stops it before its next request; every page applied so far stays applied, with its deliveries.
 * Page by page through continueRun: a passing source failure pauses it and it goes on here after the
 * pause (or wherever it is taken up first). When another process holds the run, returns it as it is.
 */
export async function executeRun(engine: Engine, runId: string, opts: ExecuteRunOptions = {}): Promise<TRunRow> {
  for (;;) {
    const row = await continueRun(engine, runId, { ...opts, by: opts.by ?? "request" });
    const now = row ?? (await engine.db.select().from(runs).where(eq(runs.id, runId)))[0];
    if (!now) throw new Error(`no run ${runId}`);
    if (!row || now.status !== "running" || now.leaseOwner) return now;
    // Paused after a source failure: wait out its pause here, then go on (unless another process took it up).
    await new Promise((r) => setTimeout(r, Math.max(0, (now.leaseUntil?.getTime() ?? 0) - Date.now()) + 10));
  }
}
