import { z } from "zod";

/**
 * How a generic REST API is shaped. Paths into response bodies use the small language of
 * `paths.ts` ("meta.has_more", "errors[].field", "" = the body itself).
 */

const ZBodyPath = z.string().max(200);

export const ZPagePagination = z.object({
  style: z.literal("page"),
  pageParam: z.string().min(1).default("page"),
  limitParam: z.string().min(1).default("per_page"),
  /** Number of the first page (1 for almost every API). */
  firstPage: z.number().int().min(0).default(1),
  itemsPath: ZBodyPath.default("data"),
  /** Boolean "more pages" flag. Without it: `totalPath` if set, else a full page means more. */
  hasMorePath: ZBodyPath.nullish(),
  totalPath: ZBodyPath.nullish(),
});

export const ZCursorPagination = z.object({
  style: z.literal("cursor"),
  cursorParam: z.string().min(1).default("cursor"),
  limitParam: z.string().min(1).default("limit"),
  itemsPath: ZBodyPath.default("items"),
  /** Where the next cursor sits; null, "" or absent there = last page. */
  nextCursorPath: ZBodyPath.default("next_cursor"),
  totalPath: ZBodyPath.nullish(),
});

export const ZRestDialect = z.object({
  /** Prefix after the base URL, e.g. "/dashboard/api"; "" for none. */
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*\/?$/, "basePath must look like /segment/segment")
    .default("")
    .transform((p) => p.replace(/\/+$/, "")),
  pagination: z.discriminatedUnion("style", [ZPagePagination, ZCursorPagination]),
  /** Where the document sits in get/create/update responses, e.g. "data"; null = the bare body. */
  singlePath: ZBodyPath.nullable().default(null),
  /** Query parameter for incremental lists, sent as ISO-8601; null = not supported (ignored). */
  updatedSinceParam: z.string().min(1).nullable().default(null),
  /**
   * Whether updates carry `If-Match: "<updated-at ISO>"` (the version Concord last saw) and a 412 answer
   * means the document changed there since. Only for systems that honour it: one whose entity tags are
   * something else would refuse every update.
   */
  conditionalUpdates: z.boolean().default(false),
  /** Equality filters as `?field=value`. */
  filterStyle: z.literal("query").default("query"),
  /**
   * A query parameter for "any of these values", comma-separated; `{field}` stands for the field, e.g.
   * "{field}_in" → `?slug_in=a,b,c`. Lets a claimed batch look its creates up by natural key in one request;
   * null = not supported (one lookup per record).
   */
  anyOfParam: z.string().regex(/\{field\}/, "anyOfParam must contain {field}").nullable().default(null),
  /**
   * Where a 400/409/422 body names the offending field, tried in order, e.g.
   * ["error.fields"] (the object's first key) or ["errors[].field"] (first string).
   */
  errorFieldPaths: z.array(ZBodyPath).default([]),
});

export type TRestDialect = z.infer<typeof ZRestDialect>;
export type TRestDialectInput = z.input<typeof ZRestDialect>;
export type TPagePagination = z.infer<typeof ZPagePagination>;
export type TCursorPagination = z.infer<typeof ZCursorPagination>;
