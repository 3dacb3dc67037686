import Link from "next/link";
import type { TDeliveryView } from "~/server/services/deliveries/delivery-view";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `vessel:<record id>` → { vessel, that record }; `vessel:onboarding:<id>` → { vessel, not in Concord yet }. */
function parse(waitingFor: string): { entity: string; recordId: string | null } | null {
  const at = waitingFor.indexOf(":");
  if (at <= 0) return null;
  const ref = waitingFor.slice(at + 1);
  return { entity: waitingFor.slice(0, at), recordId: UUID.test(ref) ? ref : null };
}

const REASONS: Record<NonNullable<TDeliveryView["blocked"]>["reason"], string> = {
  invalid: "failed validation",
  "not-approved": "does not sync (not approved)",
  missing: "is not in its system",
  dead: "could not be delivered",
};

/**
 * What a waiting delivery waits for, in words and linked, never a raw id: "blocked by its vessel MV Nordic
 * Star (…), which failed validation" or "waiting for its vessel". The reason in full is its last error.
 */
export function WaitingNote({ d, className = "block text-xs text-zinc-500" }: { d: Pick<TDeliveryView, "waitingFor" | "blocked">; className?: string }) {
  if (d.blocked) {
    const p = d.blocked.parent;
    return (
      <span className={className} data-testid="blocked-note">
        blocked by its {p.entity}{" "}
        {p.recordId ? <Link href={`/records/${p.recordId}`} className="underline underline-offset-2 hover:text-zinc-800">{p.name}</Link> : p.name}, which {REASONS[d.blocked.reason]}
      </span>
    );
  }
  const on = d.waitingFor ? parse(d.waitingFor) : null;
  if (!on) return null;
  return (
    <span className={className}>
      waiting for its{" "}
      {on.recordId ? <Link href={`/records/${on.recordId}`} className="underline underline-offset-2 hover:text-zinc-800">{on.entity}</Link> : `${on.entity} to reach Concord`}
    </span>
  );
}
