import type { Command } from "commander";
import { API_SCOPES, ZApiScope } from "~/server/services/api-keys/api-key-view";
import { withBackend, type TGlobalOptions } from "./connect";

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) : "never");

export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command("apikey").description("API keys for internal tools calling /api/trpc");
  apikey
    .command("create")
    .description("create a key; it is printed once and never again")
    .requiredOption("--name <name>", "what the key is for, e.g. crm-sync")
    .option("--scopes <scopes>", `comma-separated: ${API_SCOPES.join(", ")}`, "read")
    .action(async (opts: { name: string; scopes: string }, cmd: Command) => {
      const scopes = opts.scopes.split(",").map((s) => s.trim()).filter(Boolean);
      const bad = scopes.find((s) => !ZApiScope.safeParse(s).success);
      if (bad !== undefined) throw new Error(`--scopes: "${bad}" is not one of ${API_SCOPES.join(", ")}.`);
      await withBackend(cmd.optsWithGlobals<TGlobalOptions>(), async (b) => {
        const { apiKey, key } = await b.createApiKey({ name: opts.name, scopes: scopes as never });
        console.log(`Created API key "${apiKey.name}" (${apiKey.id}) with scopes ${apiKey.scopes.join(", ")}.`);
        console.log("The key, shown this once (Concord keeps only its hash):");
        console.log(`\n  ${key}\n`);
        console.log("Send it as: Authorization: Bearer <key>");
      });
    });
  apikey
    .command("list")
    .description("list keys: name, prefix, scopes, last use (never the key)")
    .action(async (_opts: unknown, cmd: Command) => {
      await withBackend(cmd.optsWithGlobals<TGlobalOptions>(), async (b) => {
        const keys = await b.listApiKeys();
        if (keys.length === 0) return console.log("No API keys yet.");
        for (const k of keys) {
          const state = k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active";
          console.log(`${k.id}  ${k.prefix}…  ${k.name}  [${k.scopes.join(",")}]  ${state}  last used ${when(k.lastUsedAt)}  created ${when(k.createdAt)} by ${k.createdBy}`);
        }
      });
    });
  apikey
    .command("revoke")
    .description("revoke a key for good")
    .argument("<id>", "the key's id (from apikey list)")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withBackend(cmd.optsWithGlobals<TGlobalOptions>(), async (b) => {
        const k = await b.revokeApiKey(id);
        console.log(`Revoked API key "${k.name}" (${k.prefix}…). Calls with it are now refused.`);
      });
    });
}
