// "Sample Maintenance Portal": where crews plan maintenance of the equipment on board. Integer
// ids, snake_case, references checked (a vessel's company must exist; a company or vessel still
// referred to cannot be deleted), passwords write-only. Starts empty; records every API request
// it receives (`/_requests`) so tests can prove what was sent to it.
import type { CollectionSpec, FieldSpec } from "../lib/collection";
import type { SystemDefinition } from "../lib/types";
import { synthetic } from "../data/fleet";
import { maintenanceDialect } from "./maintenance-api";
import { hashPassword, maintenanceFleet, MAINTENANCE_ROLES, verifyPassword } from "./maintenance-data";

export { hashPassword, MAINTENANCE_ROLES, ROLE_FROM_ONBOARDING, verifyPassword, type MaintenanceRole } from "./maintenance-data";

interface Stamped {
  id: number;
  created_at: string;
  modified_at: string;
}
export interface MaintenanceCompany extends Stamped {
  name: string;
  registration_no: string;
  country: string;
}
export interface MaintenanceVessel extends Stamped {
  company_id: number;
  name: string;
  imo: string;
  type: string;
  flag: string;
  built_year: number | null;
  gross_tonnage: number | null;
}
export interface MaintenanceEquipment extends Stamped {
  vessel_id: number;
  name: string;
  category: string | null;
  manufacturer: string;
  model: string;
  serial_no: string;
  qr_code: string;
  specs: Record<string, unknown>;
  maintenance_schedule: unknown[];
  critical_parts: unknown[];
}
export interface MaintenanceUser extends Stamped {
  company_id: number;
  vessel_id: number | null;
  email: string;
  full_name: string;
  role: string;
  must_change_password: boolean;
  has_password: boolean;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REFUSED_HASH = "Password hashes are not accepted: send `password` (stored hashed) or nothing.";

const str = (name: string, label: string, more: Partial<FieldSpec> = {}): FieldSpec => ({ name, label, type: "string", default: "", ...more });
const ref = (name: string, label: string, collection: string, nullable = false): FieldSpec => ({
  name,
  label,
  type: nullable ? "nullable-number" : "number",
  default: null,
  required: !nullable,
  ref: collection,
});

const spec = (name: string, singular: string, titleField: string, fields: FieldSpec[], more: Partial<CollectionSpec> = {}): CollectionSpec => ({
  name,
  singular,
  idKind: "int",
  titleField,
  createdField: "created_at",
  updatedField: "modified_at",
  fields,
  refused: { password_hash: REFUSED_HASH, passwordHash: REFUSED_HASH },
  ...more,
});

export const maintenanceCollections: CollectionSpec[] = [
  spec("companies", "company", "name", [str("name", "Name", { required: true }), str("registration_no", "Registration no.", { required: true, unique: true }), str("country", "Country")]),
  spec("vessels", "vessel", "name", [
    ref("company_id", "Company id", "companies"),
    str("name", "Name", { required: true }),
    str("imo", "IMO", { required: true, unique: true, check: (v) => (/^\d{7}$/.test(v as string) ? undefined : "Must be 7 digits.") }),
    str("type", "Type"),
    str("flag", "Flag"),
    { name: "built_year", label: "Built", type: "nullable-number", default: null },
    { name: "gross_tonnage", label: "Gross tonnage", type: "nullable-number", default: null },
  ]),
  spec("equipment", "equipment", "name", [
    ref("vessel_id", "Vessel id", "vessels"),
    str("name", "Name", { required: true }),
    { name: "category", label: "Category", type: "nullable-string", default: null },
    str("manufacturer", "Manufacturer"),
    str("model", "Model"),
    str("serial_no", "Serial no."),
    str("qr_code", "QR code", { required: true, unique: true }),
    { name: "specs", label: "Specs (JSON)", type: "object", default: {} },
    { name: "maintenance_schedule", label: "Maintenance schedule (JSON)", type: "array", default: [] },
    { name: "critical_parts", label: "Critical parts (JSON)", type: "array", default: [] },
  ]),
  spec(
    "users",
    "user",
    "email",
    [
      ref("company_id", "Company id", "companies"),
      ref("vessel_id", "Vessel id", "vessels", true),
      str("email", "Email", { required: true, unique: true, check: (v) => (EMAIL_RE.test(v as string) ? undefined : "Must be an email address.") }),
      str("full_name", "Full name", { required: true }),
      { name: "role", label: "Role", type: "string", default: "read_only", required: true, enum: MAINTENANCE_ROLES },
      { name: "must_change_password", label: "Must change password", type: "boolean", default: true },
      { name: "has_password", label: "Has password", type: "boolean", default: false, computed: true },
    ],
    { writeOnly: [{ name: "password", flag: "has_password", minLength: 8, hash: hashPassword, verify: verifyPassword }] },
  ),
];

export const maintenance: SystemDefinition = {
  key: "maintenance",
  title: "Sample Maintenance Portal",
  collections: maintenanceCollections,
  dialect: maintenanceDialect,
  recordRequests: true,
  // the maintenance portal starts empty in the demo
  sample: () => ({ companies: [], vessels: [], equipment: [], users: [] }),
  synthetic: (n, offset) => maintenanceFleet(synthetic(n, offset), offset),
};
