// CLI entry: `npx tsx demo/main.ts` — starts the sample systems (see demo/README.md).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { SAMPLE_SYSTEM_KEYS, startSampleSystems, type SampleSystemKey } from "./server";

const env = process.env;
const flag = (v: string | undefined, fallback: boolean) => (v === undefined || v === "" ? fallback : !/^(0|false|no|off)$/i.test(v));

const SECRET_ENV: Record<SampleSystemKey, string> = {
  dashboard: "SAMPLE_SECRET_DASHBOARD",
  cms: "SAMPLE_SECRET_CMS",
  "lead-centre": "SAMPLE_SECRET_LEAD_CENTRE",
  onboarding: "SAMPLE_SECRET_ONBOARDING",
  maintenance: "SAMPLE_SECRET_MAINTENANCE",
};

/** A saved system: docs by collection (older files: the default collection's docs as an array). */
type SavedSystem = Record<string, object[]> | object[];

async function main(): Promise<void> {
  const secrets: Partial<Record<SampleSystemKey, string>> = {};
  for (const key of SAMPLE_SYSTEM_KEYS) {
    const v = env[SECRET_ENV[key]];
    if (v) secrets[key] = v;
  }
  const port = Number(env.SAMPLE_PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid SAMPLE_PORT: ${env.SAMPLE_PORT}`);
  // SAMPLE_WEBHOOK_FAULTS: JSON { "<key>": { delayMs, jitterMs, reorder, drop, seed } }; SAMPLE_WEBHOOK_RETRY_MS: "100,500,2000"
  const webhookFaults = env.SAMPLE_WEBHOOK_FAULTS ? (JSON.parse(env.SAMPLE_WEBHOOK_FAULTS) as Record<SampleSystemKey, object>) : undefined;
  const retries = env.SAMPLE_WEBHOOK_RETRY_MS ? env.SAMPLE_WEBHOOK_RETRY_MS.split(",").map((v) => Number(v.trim())) : undefined;
  if (retries?.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`Invalid SAMPLE_WEBHOOK_RETRY_MS: ${env.SAMPLE_WEBHOOK_RETRY_MS}`);
  const concordUrl = env.CONCORD_URL === undefined ? "http://127.0.0.1:3000" : env.CONCORD_URL || null;

  const app = await startSampleSystems({
    port,
    host: env.SAMPLE_HOST || "127.0.0.1",
    apiKey: env.SAMPLE_API_KEY || "sample-key",
    concordUrl,
    secrets,
    webhookFaults,
    webhookRetryDelaysMs: retries,
    seed: flag(env.SAMPLE_SEED, true) && !(env.SAMPLE_DATA_FILE && existsSync(env.SAMPLE_DATA_FILE)),
  });

  // SAMPLE_DATA_FILE keeps the systems' data across restarts (so Concord's links stay true in the demo).
  const dataFile = env.SAMPLE_DATA_FILE;
  const save = () => {
    if (!dataFile) return;
    const dump = Object.fromEntries(
      SAMPLE_SYSTEM_KEYS.map((k) => {
        const sys = app.system(k);
        return [k, Object.fromEntries(sys.collections.map((c) => [c, sys.all(c)]))];
      }),
    );
    writeFileSync(`${dataFile}.tmp`, JSON.stringify(dump));
    renameSync(`${dataFile}.tmp`, dataFile);
  };
  if (dataFile && existsSync(dataFile)) {
    const dump = JSON.parse(readFileSync(dataFile, "utf8")) as Partial<Record<SampleSystemKey, SavedSystem>>;
    for (const k of SAMPLE_SYSTEM_KEYS) {
      const saved = dump[k];
      // a system added since the file was written starts with its demo data set
      if (saved === undefined) {
        if (flag(env.SAMPLE_SEED, true)) app.system(k).seedSample();
        continue;
      }
      const sets = Array.isArray(saved) ? { [app.system(k).collections[0]!]: saved } : saved;
      for (const [c, docs] of Object.entries(sets)) if (app.system(k).collections.includes(c)) app.system(k).seed(docs as never, c);
    }
  }
  if (dataFile) setInterval(save, 5_000).unref();

  // Secrets are never printed; when SAMPLE_SECRETS_FILE is set they are written there as JSON.
  if (env.SAMPLE_SECRETS_FILE) writeFileSync(env.SAMPLE_SECRETS_FILE, JSON.stringify(app.secrets, null, 2) + "\n", { mode: 0o600 });

  const uis = SAMPLE_SYSTEM_KEYS.map((k) => `${k} ${app.url}/${k}/`).join(", ");
  console.log(`Sample systems on ${app.url} (API key: ${app.apiKey}) · UIs: ${uis}`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    save();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
