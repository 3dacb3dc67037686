// Maintenance Portal helpers: password hashing (scrypt), onboarding → maintenance role names,
// and the sample fleet in the Maintenance Portal's shape (for benchmarks).
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import type { Doc } from "../lib/collection";
import type { Fleet, Role } from "../data/fleet";

export const MAINTENANCE_ROLES = ["admin", "superintendent", "master", "chief_engineer", "engineer", "crew", "read_only"] as const;
export type MaintenanceRole = (typeof MAINTENANCE_ROLES)[number];

/** The Onboarding Portal's role → the Maintenance Portal's. */
export const ROLE_FROM_ONBOARDING: Record<Role, MaintenanceRole> = {
  COMPANY_ADMIN: "admin",
  SUPERINTENDENT: "superintendent",
  CAPTAIN: "master",
  CHIEF_ENGINEER: "chief_engineer",
  ENGINEER: "engineer",
  CREW: "crew",
  VIEWER: "read_only",
};

const SCRYPT_N = 16384;

/** `scrypt$N$salt$key` (base64), a fresh salt each time. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: SCRYPT_N });
  return `scrypt$${SCRYPT_N}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = scryptSync(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n) });
  return timingSafeEqual(actual, expected);
}

/**
 * A fleet (from `synthetic(n, offset)`) as the Maintenance Portal would hold it once synced:
 * integer ids from the same indexes (vessel `offset + k + 1`, its equipment and users after
 * `offset * 20` / `offset * 3`, companies by tens), missing QR codes filled in, no passwords.
 */
export function maintenanceFleet(f: Fleet, offset: number): Record<string, Doc[]> {
  const companyIds = new Map(f.companies.map((c, i) => [c.id, Math.floor(offset / 10) + i + 1]));
  const vesselIds = new Map(f.vessels.map((v, k) => [v.id, offset + k + 1]));
  const times = (d: { createdAt: string; updatedAt: string }) => ({ created_at: d.createdAt, modified_at: d.updatedAt });
  return {
    companies: f.companies.map((c) => ({ id: companyIds.get(c.id), name: c.name, registration_no: c.registrationNumber, country: c.country, ...times(c) })),
    vessels: f.vessels.map((v) => ({
      id: vesselIds.get(v.id),
      company_id: companyIds.get(v.companyId),
      name: v.name,
      imo: v.imoNumber,
      type: v.vesselType,
      flag: v.flag,
      built_year: v.yearBuilt,
      gross_tonnage: v.grossTonnage,
      ...times(v),
    })),
    equipment: f.equipment.map((e, i) => ({
      id: offset * 20 + i + 1,
      vessel_id: vesselIds.get(e.vesselId),
      name: e.name,
      category: e.category,
      manufacturer: e.manufacturer,
      model: e.model,
      serial_no: e.serialNumber,
      qr_code: e.qrCode ?? `QR-GEN-${String(offset * 20 + i + 1).padStart(7, "0")}`,
      specs: e.specifications,
      maintenance_schedule: e.maintenanceSchedule,
      critical_parts: e.criticalParts,
      ...times(e),
    })),
    users: f.users.map((u, i) => ({
      id: offset * 3 + i + 1,
      company_id: companyIds.get(u.companyId),
      vessel_id: u.vesselId === null ? null : (vesselIds.get(u.vesselId) ?? null),
      email: u.email,
      full_name: u.fullName,
      role: ROLE_FROM_ONBOARDING[u.role],
      must_change_password: true,
      has_password: false,
      ...times(u),
    })),
  };
}
