import type { Command } from "commander";
import { z } from "zod";
import { cliActor } from "~/server/services/actor";
import { createUser } from "~/server/services/create-user";
import { openCliDb } from "./db";
import { obtainPassword } from "./prompt";

export function registerAdminCommands(program: Command): void {
  const admin = program.command("admin").description("manage the people who sign in to Concord");
  admin
    .command("create")
    .description("create a user; the password is read from stdin when piped, otherwise prompted for")
    .requiredOption("--email <email>", "their email address")
    .option("--role <role>", "admin or viewer", "admin")
    .option("--name <name>", "their name", "")
    .action(async (opts: { email: string; role: string; name: string }) => {
      const role = z.enum(["admin", "viewer"]).safeParse(opts.role);
      if (!role.success) throw new Error(`--role must be admin or viewer (got "${opts.role}").`);
      const password = await obtainPassword();
      const handle = await openCliDb();
      try {
        const { user } = await createUser({
          db: handle.db,
          actor: cliActor(),
          input: { email: opts.email, role: role.data, name: opts.name, password },
        });
        console.log(`Created ${user.role} ${user.email} in ${handle.where}.`);
      } finally {
        await handle.close();
      }
    });
}
