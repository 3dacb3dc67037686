import type { TBindingInput, TSystemDefInput } from "./types";

/** The Onboarding Portal (the seed's data provider) and the Maintenance Portal (operational). */
export const fleetSystems: TSystemDefInput[] = [
  {
    key: "onboarding",
    name: "Onboarding Portal",
    connector: "rest",
    dialect: {
      basePath: "/api",
      pagination: { style: "page", pageParam: "page", limitParam: "limit", itemsPath: "data", hasMorePath: "pagination.hasMore", totalPath: "pagination.total" },
      singlePath: "data",
      updatedSinceParam: "since",
      errorFieldPaths: ["error.fields"],
      conditionalUpdates: true,
    },
  },
  {
    key: "maintenance",
    name: "Maintenance Portal",
    connector: "rest",
    dialect: {
      basePath: "/api",
      pagination: { style: "cursor", cursorParam: "after", limitParam: "limit", itemsPath: "results", nextCursorPath: "next" },
      singlePath: null,
      updatedSinceParam: "modified_since",
      errorFieldPaths: ["field"],
      conditionalUpdates: true,
    },
  },
];

const approved = [{ field: "approvalStatus", equals: "approved" }];
const owner = (field: string, extra: object = {}) => ({ field, direction: "owner" as const, ...extra });
const fed = (field: string, extra: object = {}) => ({ field, direction: "receive" as const, ...extra });
const asString = { transform: "string" as const };
const asNumber = { transform: "number" as const };
const onboarding = { system: "onboarding", idField: "id", updatedAtField: "updatedAt", filters: approved, onDelete: "ignore" as const };
const maintenance = { system: "maintenance", idField: "id", updatedAtField: "modified_at", onDelete: "delete" as const, onForeignWrite: "overwrite" as const };

/**
 * Only approved onboarding records sync (the binding's filter); the Maintenance Portal is fed one-way.
 * `passwordHash` is mapped nowhere, so it never leaves the Onboarding Portal. A QR code generated for
 * equipment without one is written back to the Onboarding Portal (`both` on that field).
 */
export const fleetBindings: TBindingInput[] = [
  {
    ...onboarding,
    entity: "company",
    resource: "sync/companies",
    fields: { name: owner("name"), registrationNumber: owner("registrationNumber"), country: owner("country"), address: owner("address") },
  },
  {
    ...maintenance,
    entity: "company",
    resource: "companies",
    fields: { name: fed("name"), registrationNumber: fed("registration_no"), country: fed("country") },
  },
  {
    ...onboarding,
    entity: "vessel",
    resource: "sync/vessels",
    fields: {
      company: owner("companyId", asString),
      name: owner("name"),
      imoNumber: owner("imoNumber", asString),
      vesselType: owner("vesselType"),
      flag: owner("flag"),
      yearBuilt: owner("yearBuilt", asNumber),
      grossTonnage: owner("grossTonnage", asNumber),
    },
  },
  {
    ...maintenance,
    entity: "vessel",
    resource: "vessels",
    fields: {
      company: fed("company_id", asNumber),
      name: fed("name"),
      imoNumber: fed("imo", asString),
      vesselType: fed("type"),
      flag: fed("flag"),
      yearBuilt: fed("built_year", asNumber),
      grossTonnage: fed("gross_tonnage", asNumber),
    },
  },
  {
    ...onboarding,
    entity: "equipment",
    resource: "sync/equipment",
    fields: {
      vessel: owner("vesselId", asString),
      name: owner("name"),
      category: owner("category"),
      manufacturer: owner("manufacturer"),
      model: owner("model"),
      serialNumber: owner("serialNumber"),
      qrCode: { field: "qrCode", direction: "both" },
      specifications: owner("specifications"),
      maintenanceSchedule: owner("maintenanceSchedule"),
      criticalParts: owner("criticalParts"),
    },
  },
  {
    ...maintenance,
    entity: "equipment",
    resource: "equipment",
    fields: {
      vessel: fed("vessel_id", asNumber),
      name: fed("name"),
      category: fed("category"),
      manufacturer: fed("manufacturer"),
      model: fed("model"),
      serialNumber: fed("serial_no"),
      qrCode: fed("qr_code"),
      specifications: fed("specs"),
      maintenanceSchedule: fed("maintenance_schedule"),
      criticalParts: fed("critical_parts"),
    },
  },
  {
    ...onboarding,
    entity: "user",
    resource: "sync/users",
    fields: {
      company: owner("companyId", asString),
      vessel: owner("vesselId", asString),
      email: owner("email"),
      fullName: owner("fullName"),
      role: owner("role", { valueMap: "roles" }),
    },
  },
  {
    ...maintenance,
    entity: "user",
    resource: "users",
    fields: { company: fed("company_id", asNumber), vessel: fed("vessel_id", asNumber), email: fed("email"), fullName: fed("full_name"), role: fed("role") },
    temporaryPassword: { field: "password", mustChangeField: "must_change_password" },
  },
];
