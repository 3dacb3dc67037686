import { z } from "zod";
import type { Engine } from "~/server/engine/context";
import { findUnlinkedRecords } from "./find-unlinked-records";
import { ZEntityKey, ZSystemKey } from "./link-view";
import { allUnlinkedDocuments } from "./read-unlinked-documents";
import { resolveScope } from "./resolve-scope";

export const ZListUnlinkedInput = z.object({
  entity: ZEntityKey,
  system: ZSystemKey,
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

const ZUnlinkedDocument = z.object({ externalId: z.string(), name: z.string().nullable(), naturalKey: z.string().nullable() });
const ZUnlinkedRecord = z.object({ recordId: z.string(), name: z.string().nullable(), naturalKey: z.string(), linkedIn: z.array(z.string()) });

export const ZUnlinkedPage = z.object({
  entity: z.string(),
  system: z.string(),
  page: z.number(),
  pageSize: z.number(),
  /** The system's documents that no record is linked to. */
  documents: z.object({ total: z.number(), items: z.array(ZUnlinkedDocument) }),
  /** Concord's live records with no link in the system. */
  records: z.object({ total: z.number(), items: z.array(ZUnlinkedRecord) }),
  /** Every unlinked document (up to CHOICES_MAX), not only this page's: what the link picker searches. */
  choices: z.object({ truncated: z.boolean(), items: z.array(ZUnlinkedDocument) }),
});
export type TUnlinkedPage = z.infer<typeof ZUnlinkedPage>;

/** The link picker offers at most this many documents; past it, a document is linked by typing its id. */
export const CHOICES_MAX = 2_000;

/** What is not linked between Concord and one system, both ways, one page of each. */
export async function listUnlinked({ engine, input }: { engine: Engine; input: z.input<typeof ZListUnlinkedInput> }): Promise<TUnlinkedPage> {
  const { entity, system, page, pageSize } = ZListUnlinkedInput.parse(input);
  const scope = resolveScope(engine, entity, system);
  const [docs, recs] = await Promise.all([allUnlinkedDocuments(engine, scope), findUnlinkedRecords(engine.db, scope, { page, pageSize })]);
  const start = (page - 1) * pageSize;
  return {
    entity: scope.entity.key,
    system: scope.binding.system,
    page,
    pageSize,
    documents: { total: docs.length, items: docs.slice(start, start + pageSize) },
    records: recs,
    choices: { truncated: docs.length > CHOICES_MAX, items: docs.slice(0, CHOICES_MAX) },
  };
}
