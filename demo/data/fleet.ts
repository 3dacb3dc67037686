// The sample fleet for the Onboarding Portal (and, mapped, the Maintenance Portal):
// `sampleFleet()` is the deterministic demo data set, `synthetic(n, offset)` the benchmark one.
//
// Demo data set: 4 companies (3 approved, 1 submitted); 20 vessels (6 not approved; "Straits Jade"
// approved with an IMO number whose check digit is wrong); 400 equipment (every other one without a
// QR code; 3 approved ones without a category and 2 with an empty name); 60 users (10 not approved;
// one approved user with a malformed email).
import { COMPANIES, VESSEL_TYPES } from "./fleet-catalog";
import {
  approval,
  bcryptLike,
  buildEquipment,
  EQUIPMENT_PER_VESSEL,
  fleetId,
  HOUR,
  invalidImo,
  personName,
  validImo,
  type ApprovalStatus,
  type Fleet,
  type FleetCompany,
  type FleetUser,
  type FleetVessel,
  type Role,
} from "./fleet-build";

export * from "./fleet-build";

const DAY = 24 * HOUR;
const SAMPLE_START = Date.parse("2025-03-03T08:00:00.000Z");
/** vessel index → status, for the vessels of approved companies that are not approved */
const VESSEL_STATUS: Record<number, ApprovalStatus> = { 5: "draft", 10: "rejected" };
/** the approved vessel whose IMO number has a wrong check digit */
export const INVALID_IMO_VESSEL = 12;
/** "vessel:slot" → what makes that approved equipment invalid */
const BROKEN_EQUIPMENT: Record<string, { category?: null; name?: "" }> = {
  "0:5": { category: null },
  "2:11": { category: null },
  "7:3": { category: null },
  "1:8": { name: "" },
  "9:14": { name: "" },
};
/** the approved user whose email is malformed */
export const MALFORMED_EMAIL_USER = 13;
const CREW_ROLES: Role[] = ["ENGINEER", "CREW", "VIEWER"];

function user(o: { u: number; ns: string; company: FleetCompany; vessel: FleetVessel | null; role: Role; status: ApprovalStatus; domain: string; createdMs: number; editedAfterMs: number }): FleetUser {
  const { first, last } = personName(o.u);
  const id = fleetId(`${o.ns}user:${o.u}`);
  return {
    ...approval(id, o.status, o.createdMs, o.editedAfterMs),
    companyId: o.company.id,
    vesselId: o.vessel?.id ?? null,
    email: `${first}.${last}@${o.domain}`.toLowerCase(),
    fullName: `${first} ${last}`,
    role: o.role,
    passwordHash: bcryptLike(id),
  };
}

/** The demo data set; deterministic (same ids, values and timestamps on every call). */
export function sampleFleet(): Fleet {
  const fleet: Fleet = { companies: [], vessels: [], equipment: [], users: [] };
  let v = 0;
  let u = 0;
  COMPANIES.forEach((c, ci) => {
    const companyMs = SAMPLE_START + ci * DAY;
    const companyStatus: ApprovalStatus = ci === 3 ? "submitted" : "approved";
    const company: FleetCompany = {
      ...approval(fleetId(`company:${ci}`), companyStatus, companyMs, 2 * DAY),
      name: c.name,
      registrationNumber: c.registrationNumber,
      country: c.country,
      address: c.address,
    };
    fleet.companies.push(company);
    const addUser = (vessel: FleetVessel | null, role: Role, createdMs: number) => {
      const status: ApprovalStatus = companyStatus === "approved" ? "approved" : "submitted";
      const made = user({ u, ns: "", company, vessel, role, status, domain: c.domain, createdMs, editedAfterMs: 3 * DAY });
      if (u === MALFORMED_EMAIL_USER) made.email = made.email.replace("@", ".");
      fleet.users.push(made);
      u++;
    };
    addUser(null, "COMPANY_ADMIN", companyMs + HOUR);
    addUser(null, "SUPERINTENDENT", companyMs + 2 * HOUR);
    c.vessels.forEach((name, vi) => {
      const vesselMs = companyMs + (vi + 1) * 3 * HOUR;
      const status: ApprovalStatus = ci === 3 ? (vi === 3 ? "draft" : "submitted") : (VESSEL_STATUS[v] ?? "approved");
      const vessel: FleetVessel = {
        ...approval(fleetId(`vessel:${v}`), status, vesselMs, 2 * DAY + HOUR),
        companyId: company.id,
        name,
        imoNumber: v === INVALID_IMO_VESSEL ? invalidImo(7400 + v * 3571) : validImo(7400 + v * 3571),
        vesselType: c.vesselTypes[vi % c.vesselTypes.length]!,
        flag: c.flag,
        yearBuilt: 2006 + ((v * 7) % 17),
        grossTonnage: 8000 + ((v * 7919) % 40) * 1000 + v * 37,
      };
      fleet.vessels.push(vessel);
      for (let slot = 0; slot < EQUIPMENT_PER_VESSEL; slot++) {
        const index = v * EQUIPMENT_PER_VESSEL + slot;
        const eqStatus: ApprovalStatus = status !== "approved" ? (status === "rejected" ? "submitted" : status) : index % 41 === 7 ? "submitted" : "approved";
        const eq = buildEquipment({ vessel, index, slot, variant: v, ns: "", prefix: "OB", status: eqStatus, createdMs: vesselMs + (slot + 1) * 7 * 60_000, editedAfterMs: 2 * DAY + 2 * HOUR });
        fleet.equipment.push({ ...eq, ...BROKEN_EQUIPMENT[`${v}:${slot}`] });
      }
      addUser(vessel, "CAPTAIN", vesselMs + 4 * HOUR);
      addUser(vessel, "CHIEF_ENGINEER", vesselMs + 5 * HOUR);
      if (v < 12) addUser(vessel, CREW_ROLES[v % CREW_ROLES.length]!, vesselMs + 6 * HOUR);
      v++;
    });
  });
  return fleet;
}

const SYNTHETIC_START = Date.parse("2024-01-01T00:00:00.000Z");
const COUNTRIES = ["NO", "GR", "SG", "EE", "DK", "NL"];
const SYNTHETIC_ROLES: Role[] = ["CAPTAIN", "CHIEF_ENGINEER", "ENGINEER"];

/**
 * `n` synthetic vessels (index `offset`…`offset+n-1`, at most 800000 in all), each with 20 equipment
 * (every other one with a QR code) and 3 users, plus their companies (one per 10 vessels; a batch
 * repeats the company of its first vessel, with the same id, so batches can be seeded one after
 * another). Everything approved and valid; ids, IMO numbers, QR codes and emails unique by index.
 */
export function synthetic(n: number, offset = 0): Fleet {
  const fleet: Fleet = { companies: [], vessels: [], equipment: [], users: [] };
  let company: FleetCompany | undefined;
  for (let k = 0; k < n; k++) {
    const g = offset + k;
    const c = Math.floor(g / 10);
    const baseMs = SYNTHETIC_START + g * 1000;
    if (!company || g % 10 === 0) {
      const companyMs = SYNTHETIC_START + c * 10 * 1000;
      company = {
        ...approval(fleetId(`syn:company:${c}`), "approved", companyMs),
        name: `Synthetic Shipping ${c + 1} Ltd`,
        registrationNumber: `SY-${String(c + 1).padStart(8, "0")}`,
        country: COUNTRIES[c % COUNTRIES.length]!,
        address: `${(c % 200) + 1} Harbour Road, Port ${(c % 50) + 1}`,
      };
      fleet.companies.push(company);
    }
    const vessel: FleetVessel = {
      ...approval(fleetId(`syn:vessel:${g}`), "approved", baseMs + 100),
      companyId: company.id,
      name: `Synthetic Vessel ${g + 1}`,
      imoNumber: validImo(100_000 + g),
      vesselType: VESSEL_TYPES[g % VESSEL_TYPES.length]!,
      flag: COUNTRIES[g % COUNTRIES.length]!,
      yearBuilt: 2000 + (g % 24),
      grossTonnage: 5000 + (g % 50) * 1000,
    };
    fleet.vessels.push(vessel);
    for (let slot = 0; slot < EQUIPMENT_PER_VESSEL; slot++) {
      const index = g * EQUIPMENT_PER_VESSEL + slot;
      fleet.equipment.push(buildEquipment({ vessel, index, slot, variant: g, ns: "syn:", prefix: "SY", status: "approved", createdMs: baseMs + 200 + slot * 10, editedAfterMs: 0 }));
    }
    SYNTHETIC_ROLES.forEach((role, r) => {
      const made = user({ u: g * 3 + r, ns: "syn:", company: company!, vessel, role, status: "approved", domain: "synthetic-fleet.test", createdMs: baseMs + 500 + r * 10, editedAfterMs: 0 });
      made.email = made.email.replace("@", `.${g * 3 + r + 1}@`);
      fleet.users.push(made);
    });
  }
  return fleet;
}

