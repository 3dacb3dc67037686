"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { secondaryButtonClass } from "../styles";

/** Per binding: whether a full run holds near-match creates for review, and from which score. */
export function NearMatchSettingForm({ entity, system, systemName, hold, minScore, canEdit }: { entity: string; system: string; systemName: string; hold: boolean; minScore: number; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [on, setOn] = useState(hold);
  const [score, setScore] = useState(String(minScore));
  const save = useMutation(trpc.duplicates.setHold.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(save.error).message;
  if (!canEdit) {
    return <p className="text-sm text-zinc-700">Full runs {hold ? `hold creates that resemble an unlinked ${entity} in ${systemName}, from a score of ${minScore}` : `create every ${entity} in ${systemName}, resembling or not`}. Only admins change this.</p>;
  }
  return (
    <form
      className="flex flex-wrap items-center gap-3 text-sm text-zinc-700"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ entity, system, hold: on, minScore: Number(score) });
      }}
    >
      <label className="inline-flex items-center gap-2">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} className="h-4 w-4 rounded border-zinc-400 text-indigo-700" />
        Full runs hold creates that resemble an unlinked {entity} in {systemName}
      </label>
      <label className="inline-flex items-center gap-2">
        from a score of
        <input type="number" min={0.5} max={0.99} step={0.01} value={score} onChange={(e) => setScore(e.target.value)} aria-label="Minimum score" className="w-20 rounded-md border border-zinc-300 px-2 py-1" />
      </label>
      <button type="submit" disabled={save.isPending} className={`${secondaryButtonClass} py-1`}>
        {save.isPending ? "Saving…" : "Save"}
      </button>
      {save.isSuccess && !save.isPending ? <span role="status" className="text-green-800">Saved: {save.data.hold ? `holding from ${save.data.minScore}` : "not holding"}.</span> : null}
      {message ? <span role="alert" className="text-red-700">{message}</span> : null}
    </form>
  );
}
