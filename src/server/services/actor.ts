import type { TUserRole } from "~/server/db/schema";

/** Whoever is acting: a signed-in person, an API key, the CLI, or Concord itself. */
export interface TActor {
  kind: "user" | "api_key" | "cli" | "system";
  id: string | null;
  label: string;
  role: TUserRole;
}

export const systemActor: TActor = { kind: "system", id: null, label: "concord", role: "admin" };
export const cliActor = (label = "cli"): TActor => ({ kind: "cli", id: null, label, role: "admin" });
