"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass, selectClass } from "../styles";
import { TemporaryPassword } from "./temporary-password";

type Created = { email: string; temporaryPassword: string | null };

export function CreateUserForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: ({ user, temporaryPassword }) => {
        setCreated({ email: user.email, temporaryPassword });
        router.refresh();
      },
    }),
  );
  const err = describeError(create.error);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const password = String(data.get("password") ?? "");
    setCreated(null);
    create.mutate(
      {
        email: String(data.get("email") ?? ""),
        name: String(data.get("name") ?? ""),
        role: data.get("role") === "admin" ? "admin" : "viewer",
        password: password ? password : undefined,
      },
      { onSuccess: () => form.reset() },
    );
  }

  const invalid = (field: string) => (err.fields[field] ? { "aria-invalid": true, "aria-describedby": `new-${field}-error` } : {});

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} aria-labelledby="create-user-title" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
        <h3 id="create-user-title" className="text-base font-semibold text-zinc-900">
          Add a user
        </h3>
        <FormAlert message={err.message} />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <div className="min-w-0">
            <label htmlFor="new-email" className={labelClass}>Email</label>
            <input id="new-email" name="email" type="email" required autoComplete="off" className={inputClass} {...invalid("email")} />
            <FieldError id="new-email-error" message={err.fields.email} />
          </div>
          <div className="min-w-0">
            <label htmlFor="new-name" className={labelClass}>Name <span className="font-normal text-zinc-500">(optional)</span></label>
            <input id="new-name" name="name" type="text" autoComplete="off" className={inputClass} {...invalid("name")} />
            <FieldError id="new-name-error" message={err.fields.name} />
          </div>
          <div className="min-w-0">
            <label htmlFor="new-role" className={labelClass}>Role</label>
            <select id="new-role" name="role" defaultValue="viewer" aria-describedby="new-role-hint" className={`${selectClass} mt-1 w-full`}>
              <option value="viewer">Viewer</option>
              <option value="admin">Admin</option>
            </select>
            <p id="new-role-hint" className="mt-1 text-xs text-zinc-500">Viewers can look at everything but change nothing.</p>
          </div>
          <div className="min-w-0">
            <label htmlFor="new-password" className={labelClass}>Password <span className="font-normal text-zinc-500">(optional)</span></label>
            <input id="new-password" name="password" type="password" autoComplete="new-password" aria-describedby={err.fields.password ? "new-password-error" : "new-password-hint"} aria-invalid={err.fields.password ? true : undefined} className={inputClass} />
            <FieldError id="new-password-error" message={err.fields.password} />
            {!err.fields.password ? <p id="new-password-hint" className="mt-1 text-xs text-zinc-500">Leave empty to generate a temporary password.</p> : null}
          </div>
        </div>
        <button type="submit" disabled={create.isPending} className={primaryButtonClass}>
          {create.isPending ? "Creating…" : "Create user"}
        </button>
      </form>
      {created?.temporaryPassword ? (
        <TemporaryPassword email={created.email} password={created.temporaryPassword} onDone={() => setCreated(null)} />
      ) : created ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          Created {created.email} with the password you chose.
        </p>
      ) : null}
    </div>
  );
}
