"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

const FALLBACK_POLL_MS = 10_000;

/**
 * Re-renders the page from the server when the engine reports something that may change it: with a
 * `recordId`, a delivery of that record; without, any delivery or run. Follows the live stream
 * /api/sync/updates (at most one refresh per `minIntervalMs`, the last event never dropped); while the
 * stream is down it polls.
 */
export function LiveRefresh({ recordId, minIntervalMs = 2000 }: { recordId?: string; minIntervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    let last = 0;
    let trailing: ReturnType<typeof setTimeout> | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    const refresh = () => {
      const wait = last + minIntervalMs - Date.now();
      if (wait <= 0) {
        last = Date.now();
        router.refresh();
      } else {
        trailing ??= setTimeout(() => {
          trailing = null;
          last = Date.now();
          router.refresh();
        }, wait);
      }
    };
    if (typeof EventSource === "undefined") {
      poll = setInterval(refresh, FALLBACK_POLL_MS);
      return () => clearInterval(poll!);
    }
    const es = new EventSource("/api/sync/updates");
    const concerns = (ev: MessageEvent<string>) => {
      if (!recordId) return true;
      try {
        return (JSON.parse(ev.data) as { recordId?: unknown }).recordId === recordId;
      } catch {
        return false;
      }
    };
    es.addEventListener("delivery", (ev: MessageEvent<string>) => {
      if (concerns(ev)) refresh();
    });
    if (!recordId) es.addEventListener("run", refresh);
    es.onerror = () => {
      poll ??= setInterval(refresh, FALLBACK_POLL_MS);
    };
    es.onopen = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    return () => {
      es.close();
      if (trailing) clearTimeout(trailing);
      if (poll) clearInterval(poll);
    };
  }, [router, recordId, minIntervalMs]);
  return null;
}
