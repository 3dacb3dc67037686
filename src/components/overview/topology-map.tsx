import type { THealthState } from "~/server/services/overview/health-state";
import type { TSystemHealth } from "~/server/services/overview/system-health";
import type { TTopology } from "~/server/services/overview/topology";
import { HEALTH_MEANING, HEALTH_TONES } from "./health-tone";
import { buildEdges, edgeGeometry, placeNodes, VIEW, type TEdge } from "./topology-layout";

const STATES = Object.keys(HEALTH_TONES) as THealthState[];
const arrowId = (s: THealthState) => `topology-arrow-${s}`;
const entityList = (e: TEdge) => [...new Set(e.flows.map((f) => f.entityLabel))].join(", ");

/**
 * Systems as boxes and entity flows as lines (→ one way, arrows at both ends ↔ two-way), coloured by the
 * health of the systems they reach; derived from the configuration, so new systems and entities appear
 * by themselves. The picture is one image for screen readers; the list below it says the same in words.
 */
export function TopologyMap({ topology, health }: { topology: TTopology; health: TSystemHealth[] }) {
  const byKey = new Map(health.map((h) => [h.key, h]));
  const stateOf = (key: string): THealthState => byKey.get(key)?.state ?? "healthy";
  const nameOf = new Map(topology.systems.map((s) => [s.key, s.name]));
  const nodes = placeNodes(topology.systems);
  const edges = buildEdges(topology.flows, nodes, stateOf);
  const flowText = topology.flows.map((f) => `${f.entityLabel}: ${nameOf.get(f.from) ?? f.from} ${f.twoWay ? "↔" : "→"} ${nameOf.get(f.to) ?? f.to}`);
  const description = `${topology.systems.length} systems and ${topology.flows.length} flows. ${flowText.join("; ")}.`;

  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <svg viewBox={`0 0 ${VIEW.width} ${VIEW.height}`} role="img" aria-labelledby="topology-title topology-desc" className="h-auto w-full" data-testid="topology">
        <title id="topology-title">Topology: which system feeds which</title>
        <desc id="topology-desc">{description}</desc>
        <defs>
          {STATES.map((s) => (
            <marker key={s} id={arrowId(s)} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill={HEALTH_TONES[s].stroke} />
            </marker>
          ))}
        </defs>
        {edges.map((e) => {
          const g = edgeGeometry(e);
          const tone = HEALTH_TONES[e.state];
          const label = entityList(e);
          const width = label.length * 6.6 + 12;
          return (
            <g key={e.id} data-edge={e.id}>
              <line
                x1={g.x1} y1={g.y1} x2={g.x2} y2={g.y2}
                stroke={tone.stroke} strokeWidth={2} strokeDasharray={tone.dashed ? "6 4" : undefined}
                markerEnd={`url(#${arrowId(e.state)})`} markerStart={e.twoWay ? `url(#${arrowId(e.state)})` : undefined}
              />
              <rect x={g.mx - width / 2} y={g.my - 10} width={width} height={20} rx={4} fill="white" stroke="#e4e4e7" />
              <text x={g.mx} y={g.my + 4} textAnchor="middle" fontSize={12} fill="#3f3f46">{label}</text>
            </g>
          );
        })}
        {nodes.map((n) => {
          const h = byKey.get(n.key);
          const tone = HEALTH_TONES[stateOf(n.key)];
          const sub = `${tone.label}${h?.queue.total ? ` · ${h.queue.total} waiting` : ""}`;
          return (
            <g key={n.key} data-node={n.key}>
              <rect x={n.x - VIEW.nodeW / 2} y={n.y - VIEW.nodeH / 2} width={VIEW.nodeW} height={VIEW.nodeH} rx={10} fill={tone.fill} stroke={tone.stroke} strokeWidth={2} strokeDasharray={tone.dashed ? "6 4" : undefined} />
              <text x={n.x} y={n.y - 4} textAnchor="middle" fontSize={14} fontWeight={600} fill="#18181b">{n.name}</text>
              <text x={n.x} y={n.y + 15} textAnchor="middle" fontSize={12} fill="#52525b">{sub}</text>
            </g>
          );
        })}
      </svg>
      <div className="mt-3 grid gap-4 text-sm text-zinc-700 md:grid-cols-2">
        <div>
          <h3 className="font-semibold text-zinc-900">Flows</h3>
          {topology.flows.length === 0 ? (
            <p className="text-zinc-600">No entity is configured to flow between systems yet.</p>
          ) : (
            <ul aria-label="Flows" className="mt-1 space-y-0.5">
              {topology.flows.map((f, i) => (
                <li key={`${f.entity}-${f.from}-${f.to}`} data-flow={f.twoWay ? "two-way" : "one-way"}>
                  {flowText[i]} <span className="text-zinc-500">({f.twoWay ? "two-way" : "one-way"}: {f.fields.join(", ")})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="font-semibold text-zinc-900">Colours</h3>
          <ul className="mt-1 space-y-0.5">
            {STATES.map((s) => (
              <li key={s} className="flex items-baseline gap-2">
                <span aria-hidden="true" className="inline-block h-2.5 w-2.5 shrink-0 rounded-full" style={{ background: HEALTH_TONES[s].stroke }} />
                <span><span className="font-medium">{HEALTH_TONES[s].label}</span>: {HEALTH_MEANING[s]}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
