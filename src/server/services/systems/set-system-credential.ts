import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { systems } from "~/server/db/schema";
import type { Engine } from "~/server/engine/context";
import type { TActor } from "../actor";
import { getSystemDefOrThrow } from "../connections/get-connection";
import { writeAudit } from "../write-audit";
import { getSystem } from "./get-system";
import { getSystemRow } from "./get-system-row";
import { ZSystemKey, type TSystemView } from "./system-view";

/** The whole header value (e.g. "Bearer …", "users API-Key …"); "" clears it. Write-only. */
export const ZSetSystemCredentialInput = z.object({
  key: ZSystemKey,
  value: z
    .string()
    .trim()
    .max(4096)
    // A header value: visible ASCII, spaces and tabs only (no CR/LF header injection).
    .regex(/^[\t\x20-\x7e]*$/, "must be a single-line header value of printable ASCII"),
});

/** Stores the credential encrypted; the audit row says only "[set]" or "[cleared]", never the value. */
export async function setSystemCredential({ engine, actor, input }: { engine: Engine; actor: TActor; input: z.input<typeof ZSetSystemCredentialInput> }): Promise<TSystemView> {
  const { key, value } = ZSetSystemCredentialInput.parse(input);
  getSystemDefOrThrow(engine, key);
  const authEncrypted = value === "" ? null : engine.secrets.encrypt(value);
  await engine.db.transaction(async (tx) => {
    const before = await getSystemRow(tx, key, { forUpdate: true });
    await tx.update(systems).set({ authEncrypted, updatedAt: sql`now()` }).where(eq(systems.key, key));
    await writeAudit(tx, {
      actor,
      action: "systems.setCredential",
      target: `system:${key}`,
      before: { value: before.authEncrypted ? "[set]" : "[not set]" },
      after: { value: authEncrypted ? "[set]" : "[cleared]" },
    });
  });
  return getSystem({ engine, key });
}
