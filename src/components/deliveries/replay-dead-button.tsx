"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { primaryButtonClass, secondaryButtonClass } from "../styles";

export interface TReplayScope {
  system?: string;
  entity?: string;
  recordId?: string;
  from?: Date;
  to?: Date;
}

interface Props {
  /** Which deliveries: the dead ones (or the retrying ones) that match the page's filter. */
  status: "dead" | "retrying";
  filter: TReplayScope;
  /** How many match now (kept current by the page's live refresh): the server checks it is still so. */
  count: number;
  /** "to CMS (Payload), of industry", for the question. */
  scope: string;
}

/** Replays every dead (or retrying) delivery matching the current filter, after the admin confirmed the count. */
export function ReplayDeadButton({ status, filter, count, scope }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const question = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  // Keyboard users land on the question when it opens, and back on the button when it closes.
  useEffect(() => {
    if (asking) question.current?.focus();
    else if (wasAsking.current) opener.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  const replay = useMutation(
    trpc.deliveries.replayMany.mutationOptions({ onSuccess: () => setAsking(false), onSettled: () => router.refresh() }),
  );
  const message = describeError(replay.error).message;
  const noun = `${status} ${count === 1 ? "delivery" : "deliveries"}`;
  if (count === 0 && !replay.data && !message) return null;

  return (
    <div className="mb-4 space-y-2">
      {count === 0 ? null : !asking ? (
        <button ref={opener} type="button" onClick={() => { replay.reset(); setAsking(true); }} className={secondaryButtonClass}>
          Replay all {count} {noun} matching this filter…
        </button>
      ) : (
        <div ref={question} tabIndex={-1} role="group" aria-labelledby="replay-dead-question" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-3 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500">
          <p id="replay-dead-question" className="text-sm text-amber-900">
            Replay {count} {noun}{scope ? ` ${scope}` : ""}? Each is sent again now with its attempts reset, carrying the record&apos;s current values.
          </p>
          <div className="mt-2 flex flex-wrap gap-3">
            <button type="button" disabled={replay.isPending} onClick={() => replay.mutate({ filter: { status, ...filter }, expectedCount: count })} className={primaryButtonClass}>
              {replay.isPending ? "Replaying…" : `Yes, replay ${count}`}
            </button>
            <button type="button" disabled={replay.isPending} onClick={() => setAsking(false)} className={secondaryButtonClass}>
              Keep them as they are
            </button>
          </div>
        </div>
      )}
      {message ? <p role="alert" className="text-sm text-red-700">{message}</p> : null}
      {replay.data ? (
        <p role="status" className="text-sm text-green-800">
          Replayed {replay.data.replayed}
          {replay.data.superseded ? ` (${replay.data.superseded} handed to a delivery already waiting)` : ""}
          {replay.data.skipped ? `; ${replay.data.skipped} skipped` : ""}.
        </p>
      ) : null}
    </div>
  );
}
