// "Sample Onboarding Portal": where ship operators register companies, vessels, equipment
// and users, and an admin approves them. UUID ids, camelCase, every record with an approval
// status. API under /onboarding/api/sync/ (onboarding-api.ts); webhooks only for approved
// records; the demo data set is the sample fleet (data/fleet.ts).
import type { ChangeType, CollectionSpec, Doc, FieldSpec } from "../lib/collection";
import type { Change, SystemDefinition } from "../lib/types";
import { APPROVAL_STATUSES, ROLES, sampleFleet, synthetic, type Fleet } from "../data/fleet";
import { approve, onboardingDialect } from "./onboarding-api";

export type { FleetCompany as OnboardingCompany, FleetEquipment as OnboardingEquipment, FleetUser as OnboardingUser, FleetVessel as OnboardingVessel } from "../data/fleet";

const isoCheck = (v: unknown) => (Number.isNaN(Date.parse(v as string)) ? "Must be an ISO 8601 date-time." : undefined);

const APPROVAL_FIELDS: FieldSpec[] = [
  { name: "approvalStatus", label: "Approval status", type: "string", default: "draft", enum: APPROVAL_STATUSES },
  { name: "approvedAt", label: "Approved at", type: "nullable-string", default: null, check: isoCheck, ui: "readonly" },
];

/** approvedAt is set when a record is approved (unless given) and cleared when it no longer is. */
function prepare(next: Doc): void {
  if (next.approvalStatus !== "approved") next.approvedAt = null;
  else if (next.approvedAt === null) next.approvedAt = next.updatedAt;
}

const spec = (name: string, singular: string, titleField: string, fields: FieldSpec[]): CollectionSpec => ({
  name,
  singular,
  idKind: "uuid",
  titleField,
  createdField: "createdAt",
  updatedField: "updatedAt",
  fields: [...fields, ...APPROVAL_FIELDS],
  prepare,
});

const str = (name: string, label: string, more: Partial<FieldSpec> = {}): FieldSpec => ({ name, label, type: "string", default: "", ...more });

export const onboardingCollections: CollectionSpec[] = [
  spec("companies", "company", "name", [
    str("name", "Name", { required: true }),
    str("registrationNumber", "Registration number", { required: true, unique: true }),
    str("country", "Country"),
    str("address", "Address"),
  ]),
  spec("vessels", "vessel", "name", [
    str("companyId", "Company id", { required: true }),
    str("name", "Name", { required: true }),
    str("imoNumber", "IMO number"),
    str("vesselType", "Type"),
    str("flag", "Flag"),
    { name: "yearBuilt", label: "Year built", type: "nullable-number", default: null },
    { name: "grossTonnage", label: "Gross tonnage", type: "nullable-number", default: null },
  ]),
  spec("equipment", "equipment", "name", [
    str("vesselId", "Vessel id", { required: true }),
    str("name", "Name"),
    { name: "category", label: "Category", type: "nullable-string", default: null },
    str("manufacturer", "Manufacturer"),
    str("model", "Model"),
    str("serialNumber", "Serial number"),
    { name: "qrCode", label: "QR code", type: "nullable-string", default: null, unique: true },
    { name: "specifications", label: "Specifications (JSON)", type: "object", default: {} },
    { name: "maintenanceSchedule", label: "Maintenance schedule (JSON)", type: "array", default: [] },
    { name: "criticalParts", label: "Critical parts (JSON)", type: "array", default: [] },
  ]),
  spec("users", "user", "email", [
    str("companyId", "Company id", { required: true }),
    { name: "vesselId", label: "Vessel id", type: "nullable-string", default: null },
    str("email", "Email", { required: true, unique: true }),
    str("fullName", "Full name"),
    { name: "role", label: "Role", type: "string", default: "VIEWER", enum: ROLES },
    // returned by this API (the seed's portal does); never shown in the UI
    { name: "passwordHash", label: "Password hash", type: "nullable-string", default: null, ui: "hidden" },
  ]),
];

/**
 * Webhooks only for approved records: a record that becomes approved sends `.updated` (`.created`
 * when created approved), an approved record that changes sends `.updated` (even when the change
 * un-approves it), an approved record deleted sends `.deleted`. Nothing for the others.
 */
export function onboardingWebhookEvent({ type, doc, previous }: Change): ChangeType | null {
  const was = previous?.approvalStatus === "approved";
  const is = doc.approvalStatus === "approved";
  if (type === "created") return is ? "created" : null;
  if (type === "deleted") return was ? "deleted" : null;
  return was || is ? "updated" : null;
}

const asSets = (f: Fleet): Record<string, Doc[]> => ({
  companies: f.companies as unknown as Doc[],
  vessels: f.vessels as unknown as Doc[],
  equipment: f.equipment as unknown as Doc[],
  users: f.users as unknown as Doc[],
});

export const onboarding: SystemDefinition = {
  key: "onboarding",
  title: "Sample Onboarding Portal",
  collections: onboardingCollections,
  dialect: onboardingDialect,
  webhookEvent: onboardingWebhookEvent,
  recordRequests: true,
  actions: [{ name: "approve", label: "Approve", applies: (doc) => doc.approvalStatus !== "approved", run: approve }],
  sample: () => asSets(sampleFleet()),
  synthetic: (n, offset) => asSets(synthetic(n, offset)),
};
