"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { TRunView } from "~/server/services/runs/run-view";
import { StatusBadge } from "../console/status-badge";
import { isActiveRun } from "./run-labels";

type TCounts = TRunView["counts"];

export interface RunLive {
  status: string;
  counts: TCounts;
  /** Read so far against the total the system reported; null when it reports none. */
  percent: number | null;
}

/** Server re-renders while the stream is quiet, and the polling interval when there is no stream. */
const SAFETY_REFRESH_MS = 5000;
const POLL_MS = 1500;

const RunLiveContext = createContext<RunLive | null>(null);

function isRunEvent(v: unknown): v is RunLive & { percent?: number | null } {
  if (!v || typeof v !== "object") return false;
  const e = v as Record<string, unknown>;
  return typeof e.status === "string" && !!e.counts && typeof e.counts === "object";
}

/**
 * A run's live state for everything under it: while the run is going it follows the run's event stream
 * (/api/sync/runs/{id}/events) and re-renders the page from the server when it ends, so per-item
 * outcomes follow; without a stream it polls every 1.5 s. The bar, the status and the counts read the
 * same state, so they never disagree while the server render catches up. Keyed by the server's status,
 * so a run that goes again (held deletes approved) starts from fresh state.
 */
export function RunLiveProvider({ runId, status, counts, children }: { runId: string; status: string; counts: TCounts; children: ReactNode }) {
  const router = useRouter();
  const active = isActiveRun(status);
  const [live, setLive] = useState<RunLive | null>(null);

  useEffect(() => {
    if (!active) return;
    let poll: ReturnType<typeof setInterval> | null = null;
    const refresh = () => router.refresh();
    const startPolling = () => {
      poll ??= setInterval(refresh, POLL_MS);
    };
    if (typeof EventSource === "undefined") {
      startPolling();
      return () => {
        if (poll) clearInterval(poll);
      };
    }
    let lastRefresh = Date.now();
    const safety = setInterval(() => {
      if (Date.now() - lastRefresh >= SAFETY_REFRESH_MS) {
        lastRefresh = Date.now();
        refresh();
      }
    }, 1000);
    const es = new EventSource(`/api/sync/runs/${runId}/events`);
    es.addEventListener("run", (ev: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (!isRunEvent(data)) return;
      setLive({ status: data.status, counts: data.counts, percent: typeof data.percent === "number" ? data.percent : null });
      const ended = !isActiveRun(data.status);
      if (ended) es.close();
      if (ended || Date.now() - lastRefresh >= POLL_MS) {
        lastRefresh = Date.now();
        refresh();
      }
    });
    // EventSource reconnects by itself (resuming from its Last-Event-ID); meanwhile the page polls.
    es.onerror = startPolling;
    es.onopen = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    return () => {
      es.close();
      clearInterval(safety);
      if (poll) clearInterval(poll);
    };
  }, [active, runId, router]);

  // The server's word wins once it says the run ended; until then the stream is newer.
  const shown: RunLive = !active || !live ? { status, counts, percent: null } : live;
  return <RunLiveContext.Provider value={shown}>{children}</RunLiveContext.Provider>;
}

export function useRunLive(): RunLive {
  const live = useContext(RunLiveContext);
  if (!live) throw new Error("useRunLive needs a RunLiveProvider above it");
  return live;
}

/** The run's status pill, live. */
export function LiveRunStatus() {
  return <StatusBadge status={useRunLive().status} />;
}

/** The phase the server last rendered, only while the stream has not moved the status on since. */
export function LiveRunPhase({ phase, serverStatus }: { phase: string | null; serverStatus: string }) {
  const { status } = useRunLive();
  return phase && status === serverStatus ? <span className="ml-2 text-zinc-600">{phase}</span> : null;
}

/** One of the run's counts, live. */
export function LiveRunCount({ name }: { name: keyof TCounts }) {
  const n = useRunLive().counts[name] ?? 0;
  return <dd className={`text-lg font-semibold tabular-nums ${name === "failed" && n ? "text-red-700" : "text-zinc-900"}`}>{n}</dd>;
}
