import type { ReactNode } from "react";
import type { TConflictView } from "~/server/services/conflicts/list-conflicts";
import type { TDeliveryView } from "~/server/services/deliveries/delivery-view";
import type { TDeliverySeries } from "~/server/services/overview/delivery-series";
import type { TSystemHealth } from "~/server/services/overview/system-health";
import type { TTopology } from "~/server/services/overview/topology";
import type { TSystemView } from "~/server/services/systems/system-view";
import { DeadDeliveries, OpenConflicts } from "./attention-lists";
import { DeliveryCharts } from "./delivery-charts";
import { SystemTile } from "./system-tile";
import { TopologyMap } from "./topology-map";

type Page<T> = { items: T[]; total: number };

/** A titled part of the Overview; its content may stream in later (see Loading). */
export function Section({ id, title, aside, children }: { id: string; title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-10 first-of-type:mt-0">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold text-zinc-900">{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** What a section shows while its figures are read. */
export function Loading({ label, className = "h-40" }: { label: string; className?: string }) {
  return (
    <div aria-busy="true" className={`animate-pulse rounded-lg border border-zinc-200 bg-zinc-100 ${className}`}>
      <span className="sr-only">{label}</span>
    </div>
  );
}

export async function SystemTiles({ systems, health, now }: { systems: TSystemView[]; health: Promise<TSystemHealth[]>; now: Date }) {
  const byKey = new Map((await health).map((h) => [h.key, h]));
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {systems.map((s) => <SystemTile key={s.key} system={s} health={byKey.get(s.key)} now={now} />)}
    </div>
  );
}

export async function Topology({ topology, health }: { topology: TTopology; health: Promise<TSystemHealth[]> }) {
  return <TopologyMap topology={topology} health={await health} />;
}

export async function Activity({ series }: { series: Promise<TDeliverySeries> }) {
  return <DeliveryCharts series={await series} />;
}

export async function Attention(props: { conflicts: Promise<Page<TConflictView>>; dead: Promise<Page<TDeliveryView>>; names: Record<string, string> }) {
  const [conflicts, dead] = await Promise.all([props.conflicts, props.dead]);
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <OpenConflicts items={conflicts.items} total={conflicts.total} names={props.names} />
      <DeadDeliveries items={dead.items} total={dead.total} names={props.names} />
    </div>
  );
}
