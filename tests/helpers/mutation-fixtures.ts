import { randomUUID } from "node:crypto";

/**
 * A valid-looking input for every mutation in the router. The access test fails when a mutation has no
 * fixture here, so each new mutation is walked for 401/403 and for its audit row.
 * Inputs that name other rows are filled in by `prepare` in the audit test.
 */
export const mutationFixtures: Record<string, () => unknown> = {
  "users.create": () => ({ email: `new-${randomUUID().slice(0, 8)}@concord.test`, role: "viewer", password: "a-secret-password" }),
  "users.setRole": () => ({ userId: randomUUID(), role: "admin" }),
  "users.setDisabled": () => ({ userId: randomUUID(), disabled: true }),
  "users.changeOwnPassword": () => ({ currentPassword: "correct-horse-battery", newPassword: "another-long-password" }),
};

/** Mutations a viewer may call (their own password). Everything else is admin-only. */
export const viewerAllowedMutations = ["users.changeOwnPassword"];
