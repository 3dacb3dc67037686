"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { secondaryButtonClass, selectClass } from "../styles";

type Role = "admin" | "viewer";

/** Pick a role, then save: a stray arrow key in the select changes nothing on its own. */
export function RoleControl({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [choice, setChoice] = useState<Role>(role);
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: () => setChoice(role),
    }),
  );
  const message = describeError(setRole.error).message;
  const id = `role-${userId}`;

  return (
    <div>
      <form
        className="flex items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setRole.mutate({ userId, role: choice });
        }}
      >
        <label htmlFor={id} className="sr-only">
          Role for {email}
        </label>
        <select id={id} value={choice} onChange={(e) => setChoice(e.target.value as Role)} className={`${selectClass} py-1.5`}>
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </select>
        {choice !== role || setRole.isPending ? (
          <button type="submit" disabled={setRole.isPending} aria-label={`Save role for ${email}`} className={secondaryButtonClass}>
            {setRole.isPending ? "Saving…" : "Save"}
          </button>
        ) : null}
      </form>
      {message ? (
        <p role="alert" className="mt-1 max-w-xs text-xs text-red-700">
          {message}
        </p>
      ) : null}
    </div>
  );
}
