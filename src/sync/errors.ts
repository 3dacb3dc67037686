import { z } from "zod";

/**
 * The one error type of Concord. The sync engine throws it, services throw it, and a tRPC
 * middleware maps `code` to a response. Upstream failures use the UPSTREAM_* codes and carry
 * the upstream HTTP `status`; `retryable` tells the engine whether trying again can help.
 */
export const ZSyncErrorCode = z.enum([
  "NOT_FOUND",
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "CONFLICT",
  "UNPROCESSABLE",
  "PAYLOAD_TOO_LARGE",
  "RATE_LIMITED",
  "UPSTREAM_RETRYABLE",
  "UPSTREAM_PERMANENT",
  "UPSTREAM_AUTH",
  "UPSTREAM_RATE_LIMITED",
  /** A conditional write refused (HTTP 412): the document changed there since the version Concord sent it for. */
  "UPSTREAM_CHANGED",
  "INTERNAL",
]);
export type TSyncErrorCode = z.infer<typeof ZSyncErrorCode>;

export const SYNC_ERROR_CODES: readonly TSyncErrorCode[] = ZSyncErrorCode.options;

/** Codes that are retryable unless the thrower says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<TSyncErrorCode> = new Set<TSyncErrorCode>([
  "RATE_LIMITED",
  "UPSTREAM_RETRYABLE",
  "UPSTREAM_RATE_LIMITED",
  "UPSTREAM_CHANGED",
]);

export interface TSyncErrorOptions {
  /** Defaults to true for RATE_LIMITED, UPSTREAM_RETRYABLE and UPSTREAM_RATE_LIMITED, false otherwise. */
  retryable?: boolean;
  /** Upstream HTTP status, when the error came from an external system. */
  status?: number;
  /** The offending input field, for validation errors. */
  field?: string;
  /** How long the caller (or upstream, via Retry-After) asks us to wait. */
  retryAfterMs?: number;
  /** Extra data for logs (never secrets). */
  details?: unknown;
  cause?: unknown;
}

export class SyncError extends Error {
  override readonly name = "SyncError";
  readonly code: TSyncErrorCode;
  readonly retryable: boolean;
  readonly status?: number;
  readonly field?: string;
  readonly retryAfterMs?: number;
  readonly details?: unknown;

  constructor(code: TSyncErrorCode, message: string, opts: TSyncErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retryable = opts.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.field !== undefined) this.field = opts.field;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    if (opts.details !== undefined) this.details = opts.details;
  }

  /** A plain object for logs and JSON columns (no stack, no cause). */
  toJSON(): {
    name: "SyncError";
    code: TSyncErrorCode;
    message: string;
    retryable: boolean;
    status?: number;
    field?: string;
    retryAfterMs?: number;
    details?: unknown;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

/**
 * True for a SyncError, also one created by another copy of this module (bundlers can load a
 * module twice), recognised by its name, a known code and a boolean `retryable`.
 */
export function isSyncError(e: unknown): e is SyncError {
  if (e instanceof SyncError) return true;
  if (!(e instanceof Error) || e.name !== "SyncError") return false;
  const candidate = e as unknown as { code?: unknown; retryable?: unknown };
  return ZSyncErrorCode.safeParse(candidate.code).success && typeof candidate.retryable === "boolean";
}
