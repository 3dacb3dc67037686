import "server-only";
import { TRPCError } from "@trpc/server";

/** A lookup that found nothing (or was handed an id that cannot exist): the page answers 404. */
export function isMissing(err: unknown): boolean {
  return err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST");
}

/** What a reader may be told about a failed server call: the domain's own words, never internals. */
export function plainMessage(err: unknown): string {
  if (err instanceof TRPCError && err.code !== "INTERNAL_SERVER_ERROR") return err.message;
  return "Something went wrong on the server. It has been logged.";
}
