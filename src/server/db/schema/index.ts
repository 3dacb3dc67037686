export * from "./audit";
export * from "./deliveries";
export * from "./rate-limits";
export * from "./records";
export * from "./systems";
export * from "./users";
export * from "./webhooks";
export * from "./runs";
