"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

interface Props {
  /** Which engine events re-render the page ("run", "delivery"). */
  events: ("run" | "delivery")[];
  /** At most one re-render per this many ms, however many events arrive. */
  minIntervalMs?: number;
  /** Also re-render this often (work that raises no event, e.g. a new pending delivery); paused while the tab is hidden. */
  pollMs?: number;
  /** What the page follows, for the line that says it is live. */
  what: string;
}

/**
 * Keeps a server-rendered list current: follows /api/sync/updates (server-sent events) and re-renders the
 * page from the server when a matching event arrives, throttled, plus a slow safety poll. Client state on the
 * page (checked boxes, an open question) survives a re-render.
 */
export function LiveRefresh({ events, minIntervalMs = 1000, pollMs = 10_000, what }: Props) {
  const router = useRouter();
  const [connected, setConnected] = useState(false);
  const kinds = events.join(",");

  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      timer = null;
      last = Date.now();
      router.refresh();
    };
    const soon = () => {
      if (timer) return;
      timer = setTimeout(refresh, Math.max(0, last + minIntervalMs - Date.now()));
    };
    const poll = setInterval(() => {
      if (document.visibilityState === "visible" && Date.now() - last >= pollMs) soon();
    }, pollMs);
    let es: EventSource | null = null;
    if (typeof EventSource !== "undefined") {
      es = new EventSource("/api/sync/updates");
      for (const kind of kinds.split(",")) es.addEventListener(kind, soon);
      es.onopen = () => setConnected(true);
      es.onerror = () => setConnected(false); // it reconnects by itself; the poll covers the gap
    }
    return () => {
      es?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    };
  }, [router, kinds, minIntervalMs, pollMs]);

  return (
    <p className="mb-2 flex items-center gap-1.5 text-xs text-zinc-500" data-testid="live-status">
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${connected ? "bg-green-500" : "bg-zinc-300"}`} />
      {connected ? `Live: follows ${what} as they change` : `Refreshes every ${Math.round(pollMs / 1000)} s`}
    </p>
  );
}
