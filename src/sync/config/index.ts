import { fleetEntities, roleMap } from "./fleet";
import { fleetBindings, fleetSystems } from "./fleet-bindings";
import { industryBindings, industryEntity } from "./industries";
import { systemDefs } from "./systems";
import { defineConfig } from "./validate";

export * from "./types";
export { bindingFor, bindingsOf, defineConfig, ownOnly, systemOf, isSourceBinding, mayReceive, mayWrite, referencesTo, valueMapOf, withOwnValueMaps } from "./validate";

/** The configuration Concord ships with, validated when this module loads (at start-up). */
export const defaultConfig = defineConfig({
  entities: [industryEntity, ...fleetEntities],
  systems: [...systemDefs, ...fleetSystems],
  bindings: [...industryBindings, ...fleetBindings],
  valueMaps: { roles: roleMap },
});
