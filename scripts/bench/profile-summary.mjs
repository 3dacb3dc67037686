// Summarises V8 CPU profiles (.cpuprofile, as BENCH_CPU_PROF_DIR writes them) by self time:
//   node scripts/bench/profile-summary.mjs <file-or-dir> [--top 30] [--by function|file|package]
// Times are shares of the sampled time; "(idle)" is time the thread waited.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith("--")) ?? ".";
const top = Number(args[args.indexOf("--top") + 1]) || 30;
const callersOf = args.includes("--callers") ? args[args.indexOf("--callers") + 1] : null;
const depth = args.includes("--depth") ? Number(args[args.indexOf("--depth") + 1]) : 3;
const by = args.includes("--by") ? args[args.indexOf("--by") + 1] : "function";

const files = statSync(target).isDirectory() ? readdirSync(target).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(target, f)) : [target];

function keyOf(cf) {
  const url = cf.url.replace(/^file:\/\//, "");
  const short = url.replace(/^.*\/node_modules\//, "nm:").replace(/^.*\/wt-[^/]+\//, "").replace(/^.*\/work\/main\//, "");
  if (by === "file") return short || `(${cf.functionName || "native"})`;
  if (by === "package") {
    if (!url) return `(${cf.functionName || "native"})`;
    const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    if (url.startsWith("node:")) return url;
    return short.split("/").slice(0, 3).join("/");
  }
  return `${cf.functionName || "(anon)"} ${short ? `${short}:${cf.lineNumber + 1}` : ""}`;
}

for (const file of files) {
  const p = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of p.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const self = new Map();
  let total = 0;
  for (const [id, c] of counts) {
    const k = keyOf(byId.get(id).callFrame);
    self.set(k, (self.get(k) ?? 0) + c);
    total += c;
  }
  const ms = (p.endTime - p.startTime) / 1000;
  const idle = [...self].filter(([k]) => k.includes("(idle)")).reduce((s, [, c]) => s + c, 0);
  console.log(`${file}: ${Math.round(ms)} ms sampled, ${total} samples, busy ${Math.round((1 - idle / total) * ms)} ms`);
  for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * c) / total).toFixed(1).padStart(6)} %  ${k}`);
  if (callersOf) {
    // Who spends the self time of functions named `callersOf`: the nearest frame outside node internals.
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const by = new Map();
    for (const [id, c] of counts) {
      if (byId.get(id).callFrame.functionName !== callersOf) continue;
      const chain = [];
      for (let at = parent.get(id); at !== undefined && chain.length < depth; at = parent.get(at)) {
        const cf = byId.get(at).callFrame;
        if (cf.url && !cf.url.startsWith("node:")) chain.push(keyOf(cf));
      }
      const k = chain.join(" < ") || "(node internals only)";
      by.set(k, (by.get(k) ?? 0) + c);
    }
    console.log(`callers of ${callersOf}:`);
    for (const [k, c] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${((100 * c) / total).toFixed(1).padStart(6)} %  ${k}`);
  }
}
