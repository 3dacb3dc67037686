/** Natural keys of the records a connection test creates and deletes: Concord never syncs them. */
export const PROBE_KEY_PREFIX = "concord-probe-";

export const isProbeKey = (value: unknown): boolean => typeof value === "string" && value.startsWith(PROBE_KEY_PREFIX);
