import type { TSystemDefInput } from "./types";

/** The systems Concord knows how to talk to. Their connections (URL, credentials…) live in the database. */
export const systemDefs: TSystemDefInput[] = [
  {
    key: "dashboard",
    name: "Dashboard",
    connector: "rest",
    dialect: {
      basePath: "/api",
      pagination: { style: "page", pageParam: "page", limitParam: "per_page", itemsPath: "data", hasMorePath: "meta.has_more", totalPath: "meta.total" },
      singlePath: "data",
      updatedSinceParam: "updated_since",
      errorFieldPaths: ["error.fields"],
      conditionalUpdates: true,
    },
  },
  { key: "cms", name: "CMS (Payload)", connector: "payload", apiPath: "/api" },
  {
    key: "lead-centre",
    name: "Lead Centre",
    connector: "rest",
    dialect: {
      basePath: "/api",
      pagination: { style: "cursor", cursorParam: "cursor", limitParam: "limit", itemsPath: "items", nextCursorPath: "next_cursor" },
      singlePath: null,
      updatedSinceParam: "updated_since",
      anyOfParam: "{field}_in",
      errorFieldPaths: ["errors[].field"],
    },
  },
];
