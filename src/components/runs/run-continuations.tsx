import type { TRunView } from "~/server/services/runs/run-view";
import { DateTime } from "../date-time";

type THolder = { state: "working" | "waiting" | "paused"; until: Date | null } | null;

const BY: Record<TRunView["continuations"][number]["by"], string> = {
  tick: "the cron tick",
  worker: "a worker (npm start or npm run worker)",
  request: "the request that started it",
};

/**
 * Who took the run up, and when: its start, then every continuation from its last committed page (after a
 * tick's budget, a process that died, a pause after a source failure), and where it is now.
 */
export function RunContinuations({ run, holder }: { run: TRunView; holder: THolder }) {
  const all = run.continuations;
  if (all.length === 0 && !holder) return null;
  const continued = Math.max(0, all.length - 1);
  const counts = all.slice(1).reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.by]: (acc[c.by] ?? 0) + 1 }), {});
  const byWhat = Object.entries(counts).map(([by, n]) => `${n} by ${by}`).join(", ");
  return (
    <section aria-labelledby="continuations-title" className="mt-6" data-testid="run-continuations">
      <h2 id="continuations-title" className="text-lg font-semibold text-zinc-900">Continuations</h2>
      <p className="mt-1 text-sm text-zinc-700" data-testid="run-continued">
        {continued === 0 ? "Not continued: one process has read it so far." : `Continued ${continued} ${continued === 1 ? "time" : "times"} (${byWhat}), each from its last committed page.`}
      </p>
      {holder?.state === "waiting" ? (
        <p className="mt-1 text-sm text-amber-800" data-testid="run-waiting">Waiting for the next tick: no process is working on it now; the next cron tick (or a worker) goes on from its last committed page.</p>
      ) : null}
      {holder?.state === "paused" ? (
        <p className="mt-1 text-sm text-amber-800" data-testid="run-waiting">
          Paused after a failure of its source{run.position?.lastError ? ` (${run.position.lastError})` : ""}: it goes on after {holder.until ? <DateTime value={holder.until} /> : "a pause"}.
        </p>
      ) : null}
      {all.length ? (
        <ol className="mt-2 list-decimal pl-6 text-sm text-zinc-800">
          {all.map((c, i) => (
            <li key={i}>
              {i === 0 ? "Started" : "Continued"} by {BY[c.by]}, <DateTime value={c.at} />
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
