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
  "links.link": () => ({ recordId: randomUUID(), system: "cms", externalId: "0123456789abcdef01234567" }),
  "links.relink": () => ({ recordId: randomUUID(), system: "cms", externalId: "0123456789abcdef01234567" }),
  "links.unlink": () => ({ recordId: randomUUID(), system: "cms" }),
  "links.acceptSuggestions": () => ({ items: [{ recordId: randomUUID(), system: "cms", externalId: "0123456789abcdef01234567" }] }),
  "links.linkDocuments": () => ({ entity: "industry", from: { system: "dashboard", externalId: "1" }, to: { system: "cms", externalId: "0123456789abcdef01234567" } }),
  "runs.recreateRejected": () => ({ runId: randomUUID() }),
  "fleet.exportTemporaryPasswords": () => ({ runId: randomUUID() }),
  "duplicates.decide": () => ({ ids: [randomUUID()], decision: "skip" }),
  "duplicates.setHold": () => ({ entity: "industry", system: "cms", hold: true, minScore: 0.7 }),
  "systems.update": () => ({ key: "cms", timeoutMs: 9_000 }),
  "systems.setCredential": () => ({ key: "cms", value: "Bearer fixture-credential-0123456789" }),
  "systems.rotateWebhookSecret": () => ({ key: "cms" }),
  "systems.removeOldWebhookSecrets": () => ({ key: "cms" }),
  // With probeWrite (admin-only, audited); without it a viewer may test reads.
  "systems.testConnection": () => ({ key: "cms", probeWrite: true }),
  "runs.trigger": () => ({ entity: "industry", system: "dashboard", kind: "dry-run" }),
  "runs.cancel": () => ({ id: randomUUID() }),
  "runs.decide": () => ({ runId: randomUUID(), approve: false }),
  "runs.retryFailed": () => ({ runId: randomUUID() }),
  "runs.applyPlan": () => ({ runId: randomUUID(), externalIds: ["0123456789abcdef01234567"] }),
  "schedules.update": () => ({ entity: "industry", system: "cms", cron: "*/15 * * * *", enabled: true }),
  "conflicts.resolve": () => ({ conflictId: randomUUID(), pick: "ours" }),
  "conflicts.resolveMany": () => ({ ids: [randomUUID()], policy: "theirs" }),
  "drift.startCheck": () => ({ entity: "industry" }),
  "drift.makeAgree": () => ({ checkId: randomUUID(), recordIds: [randomUUID()] }),
  "deliveries.replay": () => ({ id: 1 }),
  "deliveries.replayMany": () => ({ ids: [1] }),
  "deliveries.cancel": () => ({ id: 1 }),
  "webhooks.settle": () => ({ ids: [1], action: "replay" }),
  "fleet.sync": () => ({ scope: "fleet", kind: "validate" }),
  "fleet.updateValueMap": () => ({ name: "roles", entries: [{ from: "CAPTAIN", to: "master" }] }),
  "fleet.revealTemporaryPassword": () => ({ id: randomUUID() }),
  "apiKeys.create": () => ({ name: `fixture-${randomUUID().slice(0, 8)}`, scopes: ["read"] }),
  "apiKeys.revoke": () => ({ id: randomUUID() }),
  "records.upsert": () => ({ entity: "industry", origin: "dashboard", data: { name: "Fixture industry", slug: `fixture-${randomUUID().slice(0, 8)}` } }),
  "records.delete": () => ({ entity: "industry", origin: "dashboard", naturalKey: "fixture-to-delete" }),
  "records.restore": () => ({ id: randomUUID() }),
};

/** Mutations a viewer may call (their own password). Everything else is admin-only. */
export const viewerAllowedMutations = ["users.changeOwnPassword"];

/**
 * Mutations that need the sync engine and real systems (a record and an external document to link), so
 * the engine-less audit walk cannot call them; their audit rows are checked in their own tests
 * (tests/integration/linking.test.ts).
 */
export const auditedElsewhere = [
  "links.link",
  "links.relink",
  "links.unlink",
  "links.acceptSuggestions",
  // Need held creates of a full run read from real systems: tests/integration/near-match-hold.test.ts checks their rows.
  "duplicates.decide",
  "links.linkDocuments",
  // Need a finished run with failed items, or a dry run's plan, read from real systems:
  // tests/integration/runs-console.test.ts checks their rows.
  "runs.retryFailed",
  "runs.applyPlan",
  // Needs a run whose held deletes were rejected: tests/integration/runs-reconcile.test.ts checks its row.
  "runs.recreateRejected",
  // Needs a deleted record whose systems hold it: tests/integration/records-restore.test.ts checks its row.
  "records.restore",
  // A drift check reads every system; making them agree needs its items: tests/integration/drift.test.ts checks both rows.
  "drift.startCheck",
  "drift.makeAgree",
  // Needs a temporary password a fleet sync made: tests/integration/fleet-sync.test.ts checks its row.
  "fleet.revealTemporaryPassword",
  "fleet.exportTemporaryPasswords",
];
