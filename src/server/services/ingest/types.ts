import type { TDoc } from "~/sync/connectors";

/** One change observed in a system: from a webhook, an API call, or a run reading pages. */
export interface TObservedChange {
  entity: string;
  system: string;
  kind: "create" | "update" | "delete";
  externalId: string;
  /** The document as the system holds it now; null for a delete that carries only the id. */
  doc: TDoc | null;
  /** When the event says it happened (used when the document has no updated-at). */
  eventTime: Date | null;
  webhookEventId?: number | null;
  runId?: string | null;
}

export type TChangeOutcome =
  | "created"
  | "applied"
  | "deleted"
  | "echo"
  | "unchanged"
  | "stale"
  | "conflict"
  | "foreign"
  | "ignored"
  | "filtered";

export interface TApplyResult {
  outcome: TChangeOutcome;
  recordId: string | null;
  fields: string[];
  /** Systems a delivery was queued for. */
  targets: string[];
  detail?: string;
}
