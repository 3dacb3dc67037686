const TONES: Record<string, string> = {
  succeeded: "bg-green-100 text-green-800",
  enabled: "bg-green-100 text-green-800",
  resolved: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  dead: "bg-red-100 text-red-800",
  running: "bg-blue-100 text-blue-800",
  in_flight: "bg-blue-100 text-blue-800",
  retrying: "bg-amber-100 text-amber-900",
  "awaiting-approval": "bg-amber-100 text-amber-900",
  open: "bg-amber-100 text-amber-900",
  paused: "bg-amber-100 text-amber-900",
  blocked: "bg-orange-100 text-orange-900",
  delivering: "bg-blue-100 text-blue-800",
  reading: "bg-blue-100 text-blue-800",
  done: "bg-green-100 text-green-800",
};

const LABELS: Record<string, string> = { in_flight: "in flight", "awaiting-approval": "awaiting approval" };

/** A run's, delivery's or system's status as a coloured pill; the word itself carries the meaning. */
export function StatusBadge({ status }: { status: string }) {
  const tone = TONES[status] ?? "bg-zinc-100 text-zinc-700";
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${tone}`}>{LABELS[status] ?? status}</span>;
}
