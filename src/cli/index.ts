import { env } from "~/env";
import { Command, CommanderError, Option } from "commander";
import { ZodError, z } from "zod";
import { isSyncError } from "~/sync/errors";
import { registerAdminCommands } from "./admin";
import { registerApiKeyCommands } from "./apikey";
import { registerReplayCommand } from "./replay";
import { registerFleetCommand } from "./fleet";
import { registerRunCommand } from "./run";
import { registerStatusCommand } from "./status";

const program = new Command()
  .name("concord")
  .description("Concord's command line: `npm run concord -- <command>`")
  .exitOverride()
  .showHelpAfterError();

program
  .addOption(new Option("--url <url>", "call the running Concord at this address instead of opening the database").default(env.CONCORD_URL))
  .addOption(new Option("--api-key <key>", "API key for --url (prefer the environment variable)").default(env.CONCORD_API_KEY).hideHelp());

registerAdminCommands(program);
registerApiKeyCommands(program);
registerRunCommand(program);
registerFleetCommand(program);
registerStatusCommand(program);
registerReplayCommand(program);

function explain(err: unknown): string {
  if (err instanceof ZodError) {
    const flat = z.flattenError(err);
    const fields = Object.entries(flat.fieldErrors).map(([k, v]) => `${k}: ${(v as string[]).join(", ")}`);
    return [...flat.formErrors, ...fields].join("\n");
  }
  if (isSyncError(err)) return err.message;
  return err instanceof Error ? err.message : String(err);
}

try {
  await program.parseAsync(process.argv);
  process.exit(0);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  console.error(`concord: ${explain(err)}`);
  process.exit(1);
}
