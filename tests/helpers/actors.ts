import type { Db } from "~/server/db";
import { appRouter, createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import type { Engine } from "~/server/engine/context";
import { systemActor } from "~/server/services/actor";
import { createUser } from "~/server/services/create-user";
import type { Session } from "next-auth";

export async function makeUser(db: Db, email: string, role: "admin" | "viewer", password = "correct-horse-battery") {
  const { user } = await createUser({ db, actor: systemActor, input: { email, role, password } });
  return user;
}

export function sessionFor(user: { id: string; email: string; role: "admin" | "viewer" }): Session {
  return { user: { id: user.id, email: user.email, role: user.role, name: "" }, expires: new Date(Date.now() + 3600_000).toISOString() };
}

export function callerFor(db: Db, session: Session | null, engine?: Engine) {
  return createCaller(createTRPCContext({ db, session, engine }));
}

/** Every procedure path in the router with its type, so new procedures are covered automatically. */
export function allProcedures(): { path: string; type: "query" | "mutation" | "subscription" }[] {
  const procs = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" | "subscription" } }>;
  return Object.entries(procs).map(([path, p]) => ({ path, type: p._def.type }));
}

/** Calls a procedure by its dotted path. */
export function callPath(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((obj, key) => (obj as Record<string, unknown>)[key], caller);
  return (fn as (i: unknown) => Promise<unknown>)(input);
}
