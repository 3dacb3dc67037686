"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass } from "../styles";
import { NewApiKey } from "./new-api-key";

const SCOPES = [
  { value: "read", label: "read", hint: "list and get records, runs, deliveries and conflicts" },
  { value: "write", label: "write", hint: "create, update and delete records" },
  { value: "run", label: "run", hint: "start runs and replay deliveries" },
] as const;
type TScope = (typeof SCOPES)[number]["value"];

/** Names a key for an internal tool and picks its scopes; the key comes back once, here. */
export function CreateApiKeyForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: ({ apiKey, key }) => {
        setCreated({ name: apiKey.name, key });
        router.refresh();
      },
    }),
  );
  const err = describeError(create.error);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const scopes = data.getAll("scopes").map(String).filter((s): s is TScope => SCOPES.some((x) => x.value === s));
    setCreated(null);
    create.mutate({ name: String(data.get("name") ?? ""), scopes }, { onSuccess: () => form.reset() });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} aria-labelledby="create-api-key-title" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
        <h3 id="create-api-key-title" className="text-base font-semibold text-zinc-900">
          Create an API key
        </h3>
        <FormAlert message={err.message} />
        <div className="max-w-md">
          <label htmlFor="api-key-name" className={labelClass}>Key name</label>
          <input
            id="api-key-name"
            name="name"
            type="text"
            required
            maxLength={100}
            autoComplete="off"
            aria-invalid={err.fields.name ? true : undefined}
            aria-describedby={err.fields.name ? "api-key-name-error" : "api-key-name-hint"}
            className={inputClass}
          />
          <FieldError id="api-key-name-error" message={err.fields.name} />
          {!err.fields.name ? <p id="api-key-name-hint" className="mt-1 text-xs text-zinc-500">What uses it, e.g. “Reporting job”.</p> : null}
        </div>
        <fieldset aria-describedby={err.fields.scopes ? "api-key-scopes-error" : undefined}>
          <legend className={labelClass}>Scopes</legend>
          <div className="mt-1 space-y-1.5">
            {SCOPES.map((s) => (
              <div key={s.value} className="flex items-start gap-2">
                <input
                  id={`api-key-scope-${s.value}`}
                  name="scopes"
                  type="checkbox"
                  value={s.value}
                  defaultChecked={s.value === "read"}
                  aria-describedby={`api-key-scope-${s.value}-hint`}
                  className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-indigo-700 focus:ring-2 focus:ring-indigo-600/30"
                />
                <p className="text-sm">
                  <label htmlFor={`api-key-scope-${s.value}`} className="font-mono font-medium text-zinc-800">{s.label}</label>{" "}
                  <span id={`api-key-scope-${s.value}-hint`} className="text-zinc-500">— {s.hint}</span>
                </p>
              </div>
            ))}
          </div>
          <FieldError id="api-key-scopes-error" message={err.fields.scopes} />
        </fieldset>
        <button type="submit" disabled={create.isPending} className={primaryButtonClass}>
          {create.isPending ? "Creating…" : "Create API key"}
        </button>
      </form>
      {created ? <NewApiKey name={created.name} apiKey={created.key} onDone={() => setCreated(null)} /> : null}
    </div>
  );
}
