// Registry of the sample systems. To add a system, write demo/systems/<key>.ts
// exporting a SystemDefinition and list it here.
import type { SystemDefinition } from "../lib/types";
import { cms } from "./cms";
import { dashboard } from "./dashboard";
import { leadCentre } from "./lead-centre";
import { maintenance } from "./maintenance";
import { onboarding } from "./onboarding";

export const SYSTEM_DEFINITIONS = [dashboard, cms, leadCentre, onboarding, maintenance] as const satisfies readonly SystemDefinition[];

export type { DashboardIndustry } from "./dashboard";
export type { CmsIndustry } from "./cms";
export type { LeadCentreIndustry } from "./lead-centre";
export type { OnboardingCompany, OnboardingEquipment, OnboardingUser, OnboardingVessel } from "./onboarding";
export type { MaintenanceCompany, MaintenanceEquipment, MaintenanceUser, MaintenanceVessel } from "./maintenance";
