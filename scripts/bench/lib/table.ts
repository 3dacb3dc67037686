// The one table the benchmark prints: scenario, Concord, baseline, ratio, target, met?

export interface Row {
  scenario: string;
  concord: number | null;
  baseline: number | null;
  target: string;
  /** null: no target for this row, or nothing measured. */
  met: boolean | null;
}

const fmt = (n: number | null) => (n === null || !Number.isFinite(n) ? "—" : Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : String(Number(n.toFixed(2))));

export function renderTable(rows: Row[]): string {
  const header = ["scenario", "Concord", "baseline", "ratio", "target", "met?"];
  const body = rows.map((r) => [
    r.scenario,
    fmt(r.concord),
    fmt(r.baseline),
    r.concord !== null && r.baseline !== null && r.baseline !== 0 ? `${(r.concord / r.baseline).toFixed(2)}×` : "—",
    r.target,
    r.met === null ? "—" : r.met ? "met" : "NOT MET",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || i === 4 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 || i >= 4 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`, ...body.map(line)].join("\n");
}
