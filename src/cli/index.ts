import { Command, CommanderError } from "commander";
import { ZodError, z } from "zod";
import { isSyncError } from "~/sync/errors";
import { registerAdminCommands } from "./admin";

const program = new Command()
  .name("concord")
  .description("Concord's command line: `npm run concord -- <command>`")
  .exitOverride()
  .showHelpAfterError();

registerAdminCommands(program);

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
