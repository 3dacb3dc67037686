import { z } from "zod";
import { imoProblem, normalizeImo } from "../identifiers";
import type { TEntity, TValueMap } from "./types";

/**
 * The second seed (seeds/004): approved Onboarding Portal data becomes operational data in the
 * Maintenance Portal. References (`company`, `vessel`) hold Concord record ids and are translated
 * through links to each system's own ids when delivered; a child waits until its parent is there.
 */
const ref = z.string().min(1).nullable().default(null);
const text = z.string().trim().max(500).nullable().default(null);

export const MAINTENANCE_ROLES = ["admin", "superintendent", "master", "chief_engineer", "engineer", "crew", "read_only"] as const;

export const ZCompany = z.object({
  name: z.string().trim().min(1, "is required").max(200),
  registrationNumber: z.string().trim().min(1, "is required").max(100),
  country: text,
  address: text,
});

export const ZVessel = z.object({
  company: z.string({ error: "must name its company" }).min(1, "must name its company"),
  name: z.string().trim().min(1, "is required").max(200),
  imoNumber: z
    .string({ error: "is required" })
    .transform(normalizeImo)
    .superRefine((v, ctx) => {
      const problem = imoProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  vesselType: text,
  flag: text,
  yearBuilt: z.number().int().min(1850).max(2100).nullable().default(null),
  grossTonnage: z.number().min(0).nullable().default(null),
});

const ZPart = z.object({ partNumber: z.string().min(1), name: z.string().min(1), quantity: z.number().int().min(0) }).loose();
const ZTask = z.object({ task: z.string().min(1), intervalDays: z.number().int().positive() }).loose();

export const ZEquipment = z.object({
  vessel: z.string({ error: "must name its vessel" }).min(1, "must name its vessel"),
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(200),
  category: z.string({ error: "is required" }).trim().min(1, "is required").max(100),
  manufacturer: text,
  model: text,
  serialNumber: text,
  qrCode: z.string({ error: "is required" }).trim().min(4, "is too short").max(100),
  specifications: z.record(z.string(), z.unknown()).default({}),
  maintenanceSchedule: z.array(ZTask).default([]),
  criticalParts: z.array(ZPart).default([]),
});

export const ZPortalUser = z.object({
  company: z.string({ error: "must name its company" }).min(1, "must name its company"),
  vessel: ref,
  email: z.email({ error: "must be an email address" }).transform((e) => e.toLowerCase()),
  fullName: z.string().trim().min(1, "is required").max(200),
  role: z.enum(MAINTENANCE_ROLES, { error: "has no Maintenance Portal role (see the role mapping on the Systems page)" }),
});

const base = { conflictPolicy: "lww" as const, priority: ["onboarding", "maintenance"] };

export const companyEntity: TEntity = {
  ...base,
  key: "company",
  label: "Company",
  schema: ZCompany,
  naturalKey: "registrationNumber",
  displayField: "name",
  kinds: { name: "string", registrationNumber: "string", country: "string", address: "string" },
  references: {},
};

export const vesselEntity: TEntity = {
  ...base,
  key: "vessel",
  label: "Vessel",
  schema: ZVessel,
  naturalKey: "imoNumber",
  displayField: "name",
  kinds: { company: "string", name: "string", imoNumber: "string", vesselType: "string", flag: "string", yearBuilt: "number", grossTonnage: "number" },
  references: { company: "company" },
};

export const equipmentEntity: TEntity = {
  ...base,
  key: "equipment",
  label: "Equipment",
  schema: ZEquipment,
  naturalKey: "qrCode",
  displayField: "name",
  kinds: {
    vessel: "string",
    name: "string",
    category: "string",
    manufacturer: "string",
    model: "string",
    serialNumber: "string",
    qrCode: "string",
    specifications: "json",
    maintenanceSchedule: "json",
    criticalParts: "json",
  },
  references: { vessel: "vessel" },
  generate: { qrCode: "qr-code" },
};

export const portalUserEntity: TEntity = {
  ...base,
  key: "user",
  label: "Portal user",
  schema: ZPortalUser,
  naturalKey: "email",
  displayField: "fullName",
  kinds: { company: "string", vessel: "string", email: "string", fullName: "string", role: "string" },
  references: { company: "company", vessel: "vessel" },
};

export const fleetEntities = [companyEntity, vesselEntity, equipmentEntity, portalUserEntity];

/** Onboarding roles → Maintenance Portal roles: the default table; admins edit it on the Systems page. */
export const roleMap: TValueMap = {
  label: "Onboarding roles → Maintenance Portal roles",
  from: "onboarding",
  to: "maintenance",
  entries: {
    COMPANY_ADMIN: "admin",
    SUPERINTENDENT: "superintendent",
    CAPTAIN: "master",
    CHIEF_ENGINEER: "chief_engineer",
    ENGINEER: "engineer",
    CREW: "crew",
    VIEWER: "read_only",
  },
};
