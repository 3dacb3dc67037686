"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { FormAlert } from "../form-errors";
import { secondaryButtonClass } from "../styles";

/** Downloads a vessel's bundle from the Onboarding Portal (company, equipment, users — no password hashes) as JSON. */
export function ExportBundleButton({ vessel, name }: { vessel: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  async function download() {
    setState({ busy: true, error: null });
    try {
      const bundle = await queryClient.fetchQuery(trpc.fleet.exportBundle.queryOptions({ vessel }, { staleTime: 0 }));
      const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `vessel-${name.replace(/[^A-Za-z0-9_-]+/g, "-")}.json`;
      a.click();
      URL.revokeObjectURL(url);
      setState({ busy: false, error: null });
    } catch (err) {
      setState({ busy: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <div>
      <button type="button" onClick={download} disabled={state.busy} className={secondaryButtonClass}>
        {state.busy ? "Exporting…" : "Export vessel bundle"}
      </button>
      <FormAlert message={state.error} />
    </div>
  );
}
