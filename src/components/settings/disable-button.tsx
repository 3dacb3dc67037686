"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/trpc/react";
import { describeError } from "../form-errors";
import { dangerButtonClass, secondaryButtonClass } from "../styles";

/** Disable (sessions end at their next request) or enable a user again. */
export function DisableButton({ userId, email, disabled }: { userId: string; email: string; disabled: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toggle = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: () => router.refresh() }));
  const message = describeError(toggle.error).message;
  const verb = disabled ? "Enable" : "Disable";

  return (
    <div>
      <button
        type="button"
        disabled={toggle.isPending}
        onClick={() => toggle.mutate({ userId, disabled: !disabled })}
        aria-label={`${verb} ${email}`}
        className={disabled ? secondaryButtonClass : dangerButtonClass}
      >
        {toggle.isPending ? `${verb === "Enable" ? "Enabling" : "Disabling"}…` : verb}
      </button>
      {message ? (
        <p role="alert" className="mt-1 max-w-xs text-xs text-red-700">
          {message}
        </p>
      ) : null}
    </div>
  );
}
