"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Keeps a server-rendered page current: re-renders it from the server when the engine reports a
 * delivery or a run (the live stream /api/sync/updates), at most every `minGapMs`, and every `pollMs`
 * anyway (changes that raise conflicts or drift are not on the stream). Quiet while the tab is hidden.
 * Client state (selections, half-typed values) survives a refresh.
 */
export function LiveRefresh({ pollMs = 10_000, minGapMs = 2_000, stream = true }: { pollMs?: number; minGapMs?: number; stream?: boolean }) {
  const router = useRouter();
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (timer || document.visibilityState === "hidden") return;
      timer = setTimeout(
        () => {
          timer = null;
          last = Date.now();
          router.refresh();
        },
        Math.max(0, last + minGapMs - Date.now()),
      );
    };
    const poll = setInterval(refresh, pollMs);
    const onVisible = () => document.visibilityState === "visible" && refresh();
    document.addEventListener("visibilitychange", onVisible);
    const es = stream && typeof EventSource !== "undefined" ? new EventSource("/api/sync/updates") : null;
    es?.addEventListener("delivery", refresh);
    es?.addEventListener("run", refresh);
    return () => {
      es?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [router, pollMs, minGapMs, stream]);
  return null;
}
