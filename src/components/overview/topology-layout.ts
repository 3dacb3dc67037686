import type { THealthState } from "~/server/services/overview/health-state";
import type { TFlow, TTopology } from "~/server/services/overview/topology";
import { worse } from "./health-tone";

export const VIEW = { width: 800, height: 420, nodeW: 168, nodeH: 56 };

export interface TNodeBox {
  key: string;
  name: string;
  x: number;
  y: number;
}

/** Flows between one pair of systems in one direction (or both ways), drawn as one line. */
export interface TEdge {
  id: string;
  from: TNodeBox;
  to: TNodeBox;
  twoWay: boolean;
  flows: TFlow[];
  state: THealthState;
  /** Sideways shift, so two lines between the same pair do not overlap. */
  offset: number;
}

/** Systems around an ellipse, the first at the top (or, for an even count, the first two side by side at the top). */
export function placeNodes(systems: TTopology["systems"]): TNodeBox[] {
  const n = systems.length;
  const cx = VIEW.width / 2;
  const cy = VIEW.height / 2;
  const rx = VIEW.width / 2 - VIEW.nodeW / 2 - 12;
  const ry = VIEW.height / 2 - VIEW.nodeH / 2 - 12;
  const start = -Math.PI / 2 - (n % 2 === 0 ? Math.PI / n : 0);
  return systems.map((s, i) => {
    if (n === 1) return { ...s, x: cx, y: cy };
    const a = start + (2 * Math.PI * i) / n;
    return { ...s, x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) };
  });
}

/** Groups flows into lines: one per (pair, direction); a flow's state is the worse of the systems it reaches. */
export function buildEdges(flows: TFlow[], nodes: TNodeBox[], stateOf: (key: string) => THealthState): TEdge[] {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const groups = new Map<string, TEdge>();
  for (const f of flows) {
    const from = byKey.get(f.from);
    const to = byKey.get(f.to);
    if (!from || !to) continue;
    const id = `${f.from}|${f.to}|${f.twoWay ? "both" : "one"}`;
    const state = f.twoWay ? worse(stateOf(f.from), stateOf(f.to)) : stateOf(f.to);
    const edge = groups.get(id);
    if (edge) {
      edge.flows.push(f);
      edge.state = worse(edge.state, state);
    } else groups.set(id, { id, from, to, twoWay: f.twoWay, flows: [f], state, offset: 0 });
  }
  const edges = [...groups.values()];
  const pair = (e: TEdge) => [e.from.key, e.to.key].sort().join("|");
  for (const e of edges) {
    const same = edges.filter((o) => pair(o) === pair(e));
    const i = same.indexOf(e);
    // Offsets are measured along the normal of the pair's sorted direction, so opposite lines split apart.
    e.offset = (i - (same.length - 1) / 2) * 16;
  }
  return edges;
}

/** Where the line from a box's centre towards (dx, dy) leaves the box, plus a gap. */
function exitPoint(n: TNodeBox, dx: number, dy: number, gap: number) {
  const hw = VIEW.nodeW / 2 + gap;
  const hh = VIEW.nodeH / 2 + gap;
  const t = Math.min(dx ? hw / Math.abs(dx) : Infinity, dy ? hh / Math.abs(dy) : Infinity);
  return { x: n.x + dx * t, y: n.y + dy * t };
}

/** The line's ends (outside both boxes) and its middle, shifted sideways by the edge's offset. */
export function edgeGeometry(e: TEdge) {
  const [a, b] = e.from.key < e.to.key ? [e.from, e.to] : [e.to, e.from];
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const nx = -(b.y - a.y) / len;
  const ny = (b.x - a.x) / len;
  const shift = (p: { x: number; y: number }) => ({ x: p.x + nx * e.offset, y: p.y + ny * e.offset });
  const from = shift(e.from);
  const to = shift(e.to);
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const start = exitPoint({ ...e.from, ...from }, dx, dy, 4);
  const end = exitPoint({ ...e.to, ...to }, -dx, -dy, 4);
  return { x1: start.x, y1: start.y, x2: end.x, y2: end.y, mx: (start.x + end.x) / 2, my: (start.y + end.y) / 2 };
}
