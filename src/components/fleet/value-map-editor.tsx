"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FormAlert } from "../form-errors";
import { inputClass, primaryButtonClass, secondaryButtonClass, selectClass } from "../styles";

type Entry = { from: string; to: string };

/** The value maps (the onboarding → maintenance role mapping): read for everyone, edited by admins. */
export function ValueMaps({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const maps = useQuery(trpc.fleet.valueMaps.queryOptions());
  if (maps.isPending) return <p className="text-sm text-zinc-600">Loading the value maps…</p>;
  if (maps.error) return <FormAlert message={maps.error.message} />;
  return (
    <>
      {maps.data.map((m) => (
        <ValueMapEditor key={m.name} map={m} canEdit={canEdit} />
      ))}
    </>
  );
}

function ValueMapEditor({ map, canEdit }: { map: { name: string; label: string; entries: Entry[]; allowed: string[] | null }; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<Entry[]>(map.entries);
  const save = useMutation(trpc.fleet.updateValueMap.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.fleet.valueMaps.queryKey() }) }));
  const err = describeError(save.error);
  const set = (i: number, patch: Partial<Entry>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const id = `value-map-${map.name}`;

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <h3 id={`${id}-title`} className="text-sm font-semibold text-zinc-900">{map.label}</h3>
      <p className="mt-0.5 text-xs text-zinc-600">A value missing here does not sync: the record is listed as invalid at that field.</p>
      <FormAlert message={err.message} />
      <table className="mt-2 w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-zinc-600">
            <th scope="col" className="py-1 pr-3 font-medium">From</th>
            <th scope="col" className="py-1 pr-3 font-medium">To</th>
            {canEdit && <th scope="col" className="py-1"><span className="sr-only">Remove</span></th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-t border-zinc-100">
              <td className="py-1 pr-3">
                {canEdit ? <input aria-label={`Value ${i + 1} from`} value={r.from} onChange={(e) => set(i, { from: e.target.value })} className={`${inputClass} w-full`} /> : <code>{r.from}</code>}
              </td>
              <td className="py-1 pr-3">
                {canEdit && map.allowed ? (
                  <select aria-label={`${r.from || `Value ${i + 1}`} maps to`} value={r.to} onChange={(e) => set(i, { to: e.target.value })} className={`${selectClass} w-full`}>
                    {map.allowed.map((a) => <option key={a} value={a}>{a}</option>)}
                  </select>
                ) : canEdit ? (
                  <input aria-label={`${r.from || `Value ${i + 1}`} maps to`} value={r.to} onChange={(e) => set(i, { to: e.target.value })} className={`${inputClass} w-full`} />
                ) : (
                  <code>{r.to}</code>
                )}
              </td>
              {canEdit && (
                <td className="py-1 text-right">
                  <button type="button" className={secondaryButtonClass} onClick={() => setRows(rows.filter((_, k) => k !== i))} aria-label={`Remove ${r.from || `value ${i + 1}`}`}>Remove</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit && (
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="button" className={secondaryButtonClass} onClick={() => setRows([...rows, { from: "", to: map.allowed?.[0] ?? "" }])}>Add a value</button>
          <button type="button" className={primaryButtonClass} disabled={save.isPending} onClick={() => save.mutate({ name: map.name, entries: rows })}>
            {save.isPending ? "Saving…" : "Save mapping"}
          </button>
          <span role="status" className="self-center text-sm text-emerald-700">{save.isSuccess && !save.isPending ? "Saved." : ""}</span>
        </div>
      )}
    </section>
  );
}
