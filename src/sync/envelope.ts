import { z } from "zod";

/** Concord's default webhook envelope: `{type: "<entity>.created|updated|deleted", timestamp, data}`. */
export const ZEnvelope = z.object({
  type: z.string().regex(/^[a-z][a-z0-9_-]*\.(created|updated|deleted)$/, "must look like <entity>.created|updated|deleted"),
  timestamp: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type TEnvelope = z.infer<typeof ZEnvelope>;

/** A Payload site's own hook payload: `{operation, collection, doc}` (from afterChange / afterDelete). */
const ZPayloadHook = z.object({
  operation: z.enum(["create", "update", "delete"]),
  collection: z.string().min(1),
  doc: z.record(z.string(), z.unknown()),
  timestamp: z.string().optional(),
});

export const ENVELOPE_KINDS = ["standard", "payload-hooks"] as const;
export type TEnvelopeKind = (typeof ENVELOPE_KINDS)[number];

const VERB = { create: "created", update: "updated", delete: "deleted" } as const;

export type TEnvelopeResult = { ok: true; envelope: TEnvelope } | { ok: false; field: string; message: string };

/**
 * Reads a webhook body in the envelope its system uses, into Concord's default envelope.
 * `entityOf` names the entity a collection holds in that system (from its bindings).
 */
export function readEnvelope(kind: TEnvelopeKind, json: unknown, entityOf: (collection: string) => string | null): TEnvelopeResult {
  if (kind === "payload-hooks") {
    const hook = ZPayloadHook.safeParse(json);
    if (!hook.success) return failure(hook.error);
    const entity = entityOf(hook.data.collection);
    if (!entity) return { ok: false, field: "collection", message: `no binding for collection "${hook.data.collection}"` };
    return { ok: true, envelope: { type: `${entity}.${VERB[hook.data.operation]}`, timestamp: hook.data.timestamp, data: hook.data.doc } };
  }
  const envelope = ZEnvelope.safeParse(json);
  return envelope.success ? { ok: true, envelope: envelope.data } : failure(envelope.error);
}

function failure(error: z.ZodError): TEnvelopeResult {
  const issue = error.issues[0]!;
  return { ok: false, field: issue.path.join(".") || "body", message: issue.message };
}
