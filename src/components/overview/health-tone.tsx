import type { THealthState } from "~/server/services/overview/health-state";

/** How each health state reads and looks, on tiles and in the topology picture. Worst first. */
export const HEALTH_TONES: Record<THealthState, { label: string; badge: string; stroke: string; fill: string; dashed: boolean; rank: number }> = {
  disabled: { label: "disabled", badge: "bg-zinc-100 text-zinc-700", stroke: "#71717a", fill: "#f4f4f5", dashed: true, rank: 0 },
  paused: { label: "paused", badge: "bg-amber-100 text-amber-900", stroke: "#92400e", fill: "#fffbeb", dashed: true, rank: 1 },
  failing: { label: "failing", badge: "bg-red-100 text-red-800", stroke: "#dc2626", fill: "#fef2f2", dashed: false, rank: 2 },
  degraded: { label: "degraded", badge: "bg-amber-100 text-amber-900", stroke: "#d97706", fill: "#fffbeb", dashed: false, rank: 3 },
  healthy: { label: "healthy", badge: "bg-green-100 text-green-800", stroke: "#15803d", fill: "#f0fdf4", dashed: false, rank: 4 },
};

/** The worse of two states: a flow is as healthy as the systems it reaches. */
export const worse = (a: THealthState, b: THealthState): THealthState => (HEALTH_TONES[a].rank <= HEALTH_TONES[b].rank ? a : b);

/** What each state means, for the legend and screen readers. */
export const HEALTH_MEANING: Record<THealthState, string> = {
  healthy: "deliveries go through",
  degraded: "some attempts failed, a delivery is dead, or one has waited over 15 minutes",
  failing: "half or more of the last hour's attempts failed",
  paused: "paused after repeated failures; deliveries wait",
  disabled: "turned off by an admin; deliveries wait",
};

export function HealthBadge({ state }: { state: THealthState }) {
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${HEALTH_TONES[state].badge}`}>{HEALTH_TONES[state].label}</span>;
}
