import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino from "pino";
import { env } from "~/env";

interface RequestContext {
  requestId: string;
}

const requestContext = new AsyncLocalStorage<RequestContext>();

/** Paths whose values never reach a log line, wherever they sit in the object. */
const REDACT = [
  "password",
  "*.password",
  "newPassword",
  "*.newPassword",
  "currentPassword",
  "*.currentPassword",
  "passwordHash",
  "*.passwordHash",
  "secret",
  "*.secret",
  "*.webhookSecret",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "apiKey",
  "*.apiKey",
];

const globalForLog = globalThis as unknown as { __concordLog?: pino.Logger };

function createLogger(): pino.Logger {
  const pretty = env.NODE_ENV === "development";
  return pino({
    level: env.LOG_LEVEL,
    base: { app: "concord" },
    redact: { paths: REDACT, censor: "[redacted]" },
    mixin: () => {
      const ctx = requestContext.getStore();
      return ctx ? { requestId: ctx.requestId } : {};
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true, singleLine: true } } } : {}),
  });
}

/** The process logger: JSON lines, every line inside a request carries its request id. */
export const log: pino.Logger = (globalForLog.__concordLog ??= createLogger());

/** Runs `fn` with a request id that every log line inside it carries. */
export function withRequestContext<T>(requestId: string | null | undefined, fn: () => T): T {
  const id = requestId && /^[\w.-]{1,100}$/.test(requestId) ? requestId : randomUUID();
  return requestContext.run({ requestId: id }, fn);
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
