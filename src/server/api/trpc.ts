/**
 * tRPC set-up, in three parts:
 * 1. the context: who is calling (a signed-in person, or an internal tool with an API key) and the database;
 * 2. initTRPC with superjson and an error formatter that passes zod's field errors to the client;
 * 3. the procedures: public, protected (anyone signed in) and admin (admins only); an API key reaches only
 *    the procedures API_KEY_SCOPES names, each with the scope it needs.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { isSyncError, type SyncError } from "~/sync/errors";
import type { Db } from "~/server/db";
import type { Engine } from "~/server/engine/context";
import { log } from "~/server/log";
import type { TActor } from "~/server/services/actor";
import type { TApiScope } from "~/server/services/api-keys/api-key-view";
import { authenticateApiKey } from "~/server/services/api-keys/authenticate-api-key";

// 1. Context ---------------------------------------------------------------------------------

export interface TRPCContext {
  db: Db;
  actor: TActor | null;
  /** The sync engine (connectors, config, bus); tests hand in their own. */
  engine: Engine | null;
  /** The request's Authorization header, checked as an API key before any procedure runs; null when absent. */
  authorization: string | null;
  /** The scopes of the API key calling; null for a session (or nobody). */
  scopes: TApiScope[] | null;
}

export function createTRPCContext(opts: { db: Db; session: Session | null; engine?: Engine; headers?: Headers }): TRPCContext {
  const user = opts.session?.user;
  const actor: TActor | null = user?.id
    ? { kind: "user", id: user.id, label: user.email ?? user.id, role: user.role }
    : null;
  const authorization = opts.headers?.get("authorization")?.trim() || null;
  return { db: opts.db, actor, engine: opts.engine ?? null, authorization, scopes: null };
}

/** The engine of a procedure that needs one; a context made without it is a server fault. */
export function requireEngine(ctx: { engine: Engine | null }): Engine {
  if (!ctx.engine) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "No sync engine in this context." });
  return ctx.engine;
}

// 2. Initialisation --------------------------------------------------------------------------

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const hidden = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: hidden ? "Something went wrong on the server. It has been logged." : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        field: isSyncError(cause) ? (cause.field ?? null) : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

// 3. Procedures ------------------------------------------------------------------------------

const CODE_MAP: Record<SyncError["code"], TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  UNPROCESSABLE: "UNPROCESSABLE_CONTENT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  UPSTREAM_RETRYABLE: "BAD_GATEWAY",
  UPSTREAM_PERMANENT: "BAD_GATEWAY",
  UPSTREAM_AUTH: "BAD_GATEWAY",
  UPSTREAM_RATE_LIMITED: "BAD_GATEWAY",
  UPSTREAM_CHANGED: "BAD_GATEWAY",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

/** The one place domain errors (SyncError with a code) become tRPC errors; zod errors become BAD_REQUEST. */
const domainErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isSyncError(cause)) throw new TRPCError({ code: CODE_MAP[cause.code], message: cause.message, cause });
    if (cause instanceof ZodError) throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid input.", cause });
    if (result.error.code === "INTERNAL_SERVER_ERROR") log.error({ err: cause ?? result.error, path }, "procedure failed");
  }
  return result;
});

/**
 * What an API key may call, and the scope each needs; a key gets FORBIDDEN on anything else (users,
 * systems, links, audit, API keys…). One list, so the whole surface keys reach is read at a glance.
 */
export const API_KEY_SCOPES: Readonly<Record<string, TApiScope>> = {
  "records.list": "read",
  "records.get": "read",
  "runs.get": "read",
  "runs.list": "read",
  "runs.deliveries": "read",
  "fleet.group": "read",
  "deliveries.list": "read",
  "conflicts.list": "read",
  "records.upsert": "write",
  "records.delete": "write",
  "runs.trigger": "run",
  "fleet.sync": "run",
  "fleet.exportBundle": "read",
  "deliveries.replayMany": "run",
};

/** `Authorization: Bearer ck_…` makes the caller that key; an unknown or revoked key is refused even beside a session. */
const apiKeyAuth = t.middleware(async ({ ctx, next }) => {
  if (ctx.authorization === null) return next();
  const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.authorization)?.[1];
  const key = bearer ? await authenticateApiKey({ db: ctx.db, key: bearer, now: ctx.engine?.now() ?? new Date() }) : null;
  if (!key) throw new TRPCError({ code: "UNAUTHORIZED", message: "Unknown or revoked API key (send Authorization: Bearer <key>)." });
  const actor: TActor = { kind: "api_key", id: key.id, label: key.name, role: "viewer" };
  return next({ ctx: { ...ctx, actor, scopes: key.scopes } });
});

export const publicProcedure = t.procedure.use(domainErrors).use(apiKeyAuth);

/**
 * Anyone signed in, or an API key holding the scope API_KEY_SCOPES names for this procedure.
 * Runs before input parsing, so anonymous calls get 401 whatever they send.
 */
export const protectedProcedure = publicProcedure.use(({ ctx, next, path }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  if (ctx.scopes) {
    const needed = API_KEY_SCOPES[path];
    if (!needed) throw new TRPCError({ code: "FORBIDDEN", message: `API keys cannot call ${path}.` });
    if (!ctx.scopes.includes(needed)) throw new TRPCError({ code: "FORBIDDEN", message: `This API key lacks the "${needed}" scope ${path} needs.` });
  }
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** Admins; an API key got here only with the scope this procedure needs (checked above). */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.scopes === null && ctx.actor.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this." });
  return next({ ctx });
});
