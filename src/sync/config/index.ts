import { industryBindings, industryEntity } from "./industries";
import { systemDefs } from "./systems";
import { defineConfig } from "./validate";

export * from "./types";
export { bindingFor, bindingsOf, defineConfig, mayWrite } from "./validate";

/** The configuration Concord ships with, validated when this module loads (at start-up). */
export const defaultConfig = defineConfig({
  entities: [industryEntity],
  systems: systemDefs,
  bindings: industryBindings,
});
