// Record shapes of the sample fleet (as the Onboarding Portal holds them), deterministic ids,
// IMO numbers, and the builders shared by the demo data set and the synthetic generator.
import { createHash } from "node:crypto";
import { EQUIPMENT_KINDS, FIRST_NAMES, LAST_NAMES } from "./fleet-catalog";

export type ApprovalStatus = "draft" | "submitted" | "approved" | "rejected";
export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ["draft", "submitted", "approved", "rejected"];
export const ROLES = ["COMPANY_ADMIN", "SUPERINTENDENT", "CAPTAIN", "CHIEF_ENGINEER", "ENGINEER", "CREW", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

export interface Approval {
  id: string;
  approvalStatus: ApprovalStatus;
  approvedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface FleetCompany extends Approval {
  name: string;
  registrationNumber: string;
  country: string;
  address: string;
}
export interface FleetVessel extends Approval {
  companyId: string;
  name: string;
  imoNumber: string;
  vesselType: string;
  flag: string;
  yearBuilt: number;
  grossTonnage: number;
}
export interface FleetEquipment extends Approval {
  vesselId: string;
  name: string;
  category: string | null;
  manufacturer: string;
  model: string;
  serialNumber: string;
  qrCode: string | null;
  specifications: Record<string, number | string>;
  maintenanceSchedule: Array<{ task: string; intervalDays: number }>;
  criticalParts: Array<{ partNumber: string; name: string; quantity: number }>;
}
export interface FleetUser extends Approval {
  companyId: string;
  vesselId: string | null;
  email: string;
  fullName: string;
  role: Role;
  passwordHash: string;
}
export interface Fleet {
  companies: FleetCompany[];
  vessels: FleetVessel[];
  equipment: FleetEquipment[];
  users: FleetUser[];
}

export const EQUIPMENT_PER_VESSEL = EQUIPMENT_KINDS.length;

/** The IMO check digit of the first six digits: (d1*7 + d2*6 + … + d6*2) % 10. */
export function imoCheckDigit(firstSix: string): number {
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(firstSix[i]) * (7 - i);
  return sum % 10;
}

/** Seven digits whose last one is the check digit of the first six. */
export function isValidImo(imo: string): boolean {
  return /^\d{7}$/.test(imo) && imoCheckDigit(imo) === Number(imo[6]);
}

/** A valid IMO number, a different one for each n in 0..899999 (n = 0 → "9000003"). */
export function validImo(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 900_000) throw new RangeError(`validImo: n must be an integer in 0..899999, got ${n}`);
  const six = String(100_000 + ((n + 800_000) % 900_000));
  return six + imoCheckDigit(six);
}

/** The same number with a wrong check digit. */
export function invalidImo(n: number): string {
  const valid = validImo(n);
  return valid.slice(0, 6) + ((Number(valid[6]) + 1) % 10);
}

/** A deterministic UUID (name-based, v5 layout) for `name`. */
export function fleetId(name: string): string {
  const h = createHash("sha1").update(`concord-fleet:${name}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A bcrypt-looking hash ("$2b$10$" + 53 characters), deterministic per seed. Not a real password's. */
export function bcryptLike(seed: string): string {
  const b64 = createHash("sha512").update(`pw:${seed}`).digest("base64").replace(/\+/g, ".").replace(/=/g, "");
  return `$2b$10$${b64.slice(0, 53)}`;
}

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Approval fields: updated (and, when approved, approved) `editedAfterMs` after creation. */
export function approval(id: string, status: ApprovalStatus, createdMs: number, editedAfterMs = 0): Approval {
  const updated = iso(createdMs + editedAfterMs);
  return { id, approvalStatus: status, approvedAt: status === "approved" ? updated : null, createdAt: iso(createdMs), updatedAt: updated };
}

export interface EquipmentOptions {
  vessel: FleetVessel;
  /** position of this equipment among all generated ones (serial numbers, QR codes, ids) */
  index: number;
  /** position within its vessel: which kind of equipment, and every other one has a QR code */
  slot: number;
  /** varies the specifications */
  variant: number;
  /** id namespace and serial / QR prefix, e.g. "" and "OB" */
  ns: string;
  prefix: string;
  status: ApprovalStatus;
  createdMs: number;
  editedAfterMs: number;
}

export function buildEquipment(o: EquipmentOptions): FleetEquipment {
  const k = EQUIPMENT_KINDS[o.slot % EQUIPMENT_KINDS.length]!;
  const n = String(o.index + 1).padStart(6, "0");
  const modelCode = k.model.replace(/[^A-Za-z0-9]/g, "").slice(0, 6).toUpperCase();
  return {
    ...approval(fleetId(`${o.ns}equipment:${o.index}`), o.status, o.createdMs, o.editedAfterMs),
    vesselId: o.vessel.id,
    name: k.name,
    category: k.category,
    manufacturer: k.manufacturer,
    model: k.model,
    serialNumber: `${o.prefix}-${k.code}-${n}`,
    qrCode: o.slot % 2 === 0 ? `QR-${o.prefix}-${n}` : null,
    specifications: k.specs(o.variant),
    maintenanceSchedule: k.schedule.map((s) => ({ ...s })),
    criticalParts: k.parts.map((p, i) => ({ partNumber: `${k.code}-${modelCode}-${String(i + 1).padStart(3, "0")}`, name: p.name, quantity: p.quantity })),
  };
}

/** First and last name of person `u`: every pair differs for u < 400. */
export function personName(u: number): { first: string; last: string } {
  const first = FIRST_NAMES[u % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(u + Math.floor(u / FIRST_NAMES.length) * 7) % LAST_NAMES.length]!;
  return { first, last };
}

export { HOUR, iso };
