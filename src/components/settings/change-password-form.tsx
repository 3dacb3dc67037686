"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { signOutToSignIn } from "~/app/(admin)/actions";
import { useTRPC } from "~/trpc/react";
import { describeError, FieldError, FormAlert, type ErrorInfo } from "../form-errors";
import { inputClass, labelClass, primaryButtonClass } from "../styles";

/** Anyone signed in may change their own password; afterwards every older session, this one included, has ended. */
export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(trpc.users.changeOwnPassword.mutationOptions());
  const server = describeError(change.error);
  const err: ErrorInfo = mismatch ? { message: null, fields: { ...server.fields, confirmPassword: "The two new passwords differ." } } : server;

  if (change.isSuccess) {
    return (
      <div role="status" className="space-y-3 rounded-lg border border-green-200 bg-green-50 p-4 text-sm text-green-900">
        <p className="font-medium">Password changed. Sign in again with the new password.</p>
        <form action={signOutToSignIn}>
          <button type="submit" className={primaryButtonClass}>
            Sign in again
          </button>
        </form>
      </div>
    );
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const newPassword = String(data.get("newPassword") ?? "");
    const differs = newPassword !== String(data.get("confirmPassword") ?? "");
    setMismatch(differs);
    if (differs) return;
    change.mutate({ currentPassword: String(data.get("currentPassword") ?? ""), newPassword });
  }

  const field = (name: string, label: string, autoComplete: string) => (
    <div>
      <label htmlFor={`pw-${name}`} className={labelClass}>{label}</label>
      <input
        id={`pw-${name}`}
        name={name}
        type="password"
        required
        autoComplete={autoComplete}
        aria-invalid={err.fields[name] ? true : undefined}
        aria-describedby={err.fields[name] ? `pw-${name}-error` : undefined}
        className={inputClass}
      />
      <FieldError id={`pw-${name}-error`} message={err.fields[name]} />
    </div>
  );

  return (
    <form onSubmit={onSubmit} aria-labelledby="password-title" className="max-w-md space-y-4 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-6">
      <FormAlert message={err.message} />
      {field("currentPassword", "Current password", "current-password")}
      {field("newPassword", "New password (at least 8 characters)", "new-password")}
      {field("confirmPassword", "New password, again", "new-password")}
      <button type="submit" disabled={change.isPending} className={primaryButtonClass}>
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
