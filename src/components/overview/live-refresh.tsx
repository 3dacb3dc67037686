"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/** At most one re-render per this long while engine events pour in. */
const THROTTLE_MS = 2000;
/** Without a stream, and as a safety net with one (ages and windows move even when nothing happens). */
const POLL_MS = 15_000;
const SAFETY_MS = 60_000;

/**
 * Keeps a server-rendered page current: re-renders it from the server when run or delivery events
 * arrive on /api/sync/updates (throttled), polls while the stream is down, and says which it is doing.
 */
export function LiveRefresh() {
  const router = useRouter();
  const [mode, setMode] = useState<"connecting" | "live" | "polling">("connecting");

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const refresh = () => {
      if (pending) return;
      const wait = Math.max(0, last + THROTTLE_MS - Date.now());
      pending = setTimeout(() => {
        pending = null;
        last = Date.now();
        router.refresh();
      }, wait);
    };
    let poll: ReturnType<typeof setInterval> | null = null;
    const startPolling = () => {
      setMode("polling");
      poll ??= setInterval(refresh, POLL_MS);
    };
    const safety = setInterval(refresh, SAFETY_MS);
    if (typeof EventSource === "undefined") {
      startPolling();
      return () => {
        clearInterval(safety);
        if (poll) clearInterval(poll);
        if (pending) clearTimeout(pending);
      };
    }
    const es = new EventSource("/api/sync/updates");
    es.addEventListener("run", refresh);
    es.addEventListener("delivery", refresh);
    es.onopen = () => {
      setMode("live");
      if (poll) clearInterval(poll);
      poll = null;
    };
    // EventSource reconnects by itself (resuming from its Last-Event-ID); meanwhile the page polls.
    es.onerror = startPolling;
    return () => {
      es.close();
      clearInterval(safety);
      if (poll) clearInterval(poll);
      if (pending) clearTimeout(pending);
    };
  }, [router]);

  const text = { connecting: "Connecting to live updates…", live: "Live: updates as the engine reports", polling: "Live updates unavailable: refreshing every 15 s" }[mode];
  return (
    <p role="status" className="flex items-center gap-2 text-xs text-zinc-600" data-live={mode}>
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${mode === "live" ? "bg-green-600" : mode === "polling" ? "bg-amber-500" : "bg-zinc-300"}`} />
      {text}
    </p>
  );
}
