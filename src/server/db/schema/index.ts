export * from "./audit";
export * from "./rate-limits";
export * from "./users";
