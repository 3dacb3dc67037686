import type { TSyncConfig } from "~/sync/config";
import type { Db } from "~/server/db";
import { entityOrThrow, findRecord, ZRecordRef, type TRecordRef } from "./find-record";
import { toRecordView, type TRecordView } from "./record-view";

export const ZGetRecordInput = ZRecordRef;

/** One record: canonical data, version, its id in each system, whether it is deleted. */
export async function getRecord({ db, config, input }: { db: Db; config: TSyncConfig; input: TRecordRef }): Promise<TRecordView> {
  const ref = ZRecordRef.parse(input);
  const entity = entityOrThrow(config, ref.entity);
  return toRecordView(db, entity, await findRecord(db, { entity, ref }));
}
