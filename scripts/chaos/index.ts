// `npm run chaos -- --seed N --trials K`: the randomized concurrency and crash suite (issue #11), on
// PostgreSQL. Each trial is seeded (webhook faults, write mix, kill moments) and checked over its full
// history; a violation prints with the record's timeline. Exit 1 on any violation. See docs/reliability.md.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { failing, VIOLATION_KINDS, type ViolationKind } from "./checker";
import { planTrial } from "./plan";
import { buildIfStale, progress } from "./procs";
import { cleanups, runTrial, type CatchUp, type TrialResult } from "./trial";

const { values: a } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    seeds: { type: "string" },
    trials: { type: "string", default: "1" },
    duration: { type: "string", default: "60" },
    rate: { type: "string", default: "20" },
    workers: { type: "string", default: "2" },
    kills: { type: "string", default: "on" },
    drops: { type: "string", default: "on" },
    "catch-up": { type: "string", default: "full" },
    "quiesce-timeout": { type: "string", default: "180" },
    timelines: { type: "string", default: "5" },
    "keep-db": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    serverless: { type: "boolean", default: false },
    "tick-every": { type: "string", default: "5" },
    pooler: { type: "string" },
    json: { type: "string" },
  },
});

const int = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${v}"`);
  return n;
};
const onOff = (name: string, v: string | undefined): boolean => {
  if (v === "on" || v === "off") return v === "on";
  throw new Error(`--${name} must be on or off`);
};

function summaryTable(results: TrialResult[]): string {
  const head = ["seed", "writes", "w/s", "creates", "kills", "quiet", ...VIOLATION_KINDS, "s"];
  const rows = results.map((r) => {
    const by = (k: ViolationKind) => String(r.violations.filter((v) => v.kind === k).length);
    return [String(r.seed), String(r.writes), String(r.rate), String(r.creates), String(r.kills), r.quiesced ? "yes" : "NO", ...VIOLATION_KINDS.map(by), String(r.seconds)];
  });
  const total = (k: ViolationKind) => String(results.reduce((n, r) => n + r.violations.filter((v) => v.kind === k).length, 0));
  const sum = (f: (r: TrialResult) => number) => String(results.reduce((n, r) => n + f(r), 0));
  rows.push(["total", sum((r) => r.writes), "", sum((r) => r.creates), sum((r) => r.kills), String(results.filter((r) => r.quiesced).length), ...VIOLATION_KINDS.map(total), sum((r) => r.seconds)]);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** `host:port` of a transaction-mode pooler (PgBouncer) in front of the same server, e.g. 127.0.0.1:6432. */
function parsePooler(v: string): string {
  if (!/^[\w.-]+:\d+$/.test(v)) throw new Error(`--pooler must be host:port, got "${v}"`);
  return v;
}

async function main(): Promise<number> {
  const catchUp = a["catch-up"] as CatchUp;
  if (!["none", "full", "incremental"].includes(catchUp)) throw new Error("--catch-up must be none, full or incremental");
  const drops = onOff("drops", a.drops) && catchUp !== "none"; // a dropped webhook is only recovered by a catch-up run
  const trials = int("trials", a.trials);
  const serverless = a.serverless ?? false;
  const pooler = a.pooler ? parsePooler(a.pooler) : null;
  const seeds = a.seeds ? a.seeds.split(",").map((s) => int("seeds", s.trim())) : Array.from({ length: trials }, (_, i) => int("seed", a.seed) + i);
  if (!a["no-build"]) buildIfStale();
  const results: TrialResult[] = [];
  for (const seed of seeds) {
    const plan = planTrial({
      seed,
      durationMs: int("duration", a.duration) * 1000,
      rate: int("rate", a.rate),
      kills: onOff("kills", a.kills),
      workers: serverless ? 0 : int("workers", a.workers), // a serverless host has no standalone worker
      drops,
    });
    const r = await runTrial(plan, {
      catchUp,
      keepDb: a["keep-db"] ?? false,
      quiesceMs: int("quiesce-timeout", a["quiesce-timeout"]) * 1000,
      timelines: int("timelines", a.timelines),
      serverless: serverless ? { tickEveryMs: int("tick-every", a["tick-every"]) * 1000 } : null,
      pooler,
    });
    results.push(r);
    progress(`trial seed ${seed}: ${failing(r.violations).length} violation(s), ${r.violations.length - failing(r.violations).length} recorded loss(es) in ${r.seconds} s`);
    if (a.json) writeFileSync(a.json, JSON.stringify(results, null, 2)); // after every trial, so a stopped run keeps what it did
  }
  const table = summaryTable(results);
  const mode = `${serverless ? `serverless (ticks every ${a["tick-every"]} s)` : "next start + workers"}${pooler ? ` · through the pooler at ${pooler}` : ""}`;
  process.stdout.write(`\nConcord chaos · ${new Date().toISOString()} · ${mode} · catch-up ${catchUp} · drops ${drops ? "on" : "off"} · kills ${a.kills}\n\n${table}\n`);
  return results.some((r) => failing(r.violations).length > 0 || !r.quiesced) ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the trial's processes and dropping its database`);
    void Promise.all([...cleanups].map((c) => c().catch(() => undefined))).then(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    progress(`failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(2);
  },
);
