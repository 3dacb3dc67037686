/** Small, pure formatters shared by the console pages (server and client). */

/** A value as it would read in a form: text as is, "(empty)" for nothing, JSON for the rest. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** 850 ms, 12.4 s, 3 min 5 s, 2 h 4 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 && !Number.isInteger(s) ? s.toFixed(1) : Math.round(s)} s`;
  // Round to whole seconds first, so 119.6 s reads "2 min", never "1 min 60 s".
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  const rest = whole % 60;
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

/** "5 s, 25 s, 2 min 5 s". */
export function formatDelays(seconds: number[]): string {
  return seconds.length ? seconds.map((s) => formatDuration(s * 1000)).join(", ") : "no retries";
}

/** The first 8 characters of a UUID, enough to tell records apart on screen. */
export const shortId = (id: string) => id.slice(0, 8);

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A delivery's tries in one wording everywhere: the requests it sent, and how many of them failed and count
 * toward its retry schedule (a 429 or a lost claim is a request that does not count). "1 request", "4 requests, 2 failed".
 */
export function requestsText(requests: number, failed: number): string {
  const sent = `${requests} ${requests === 1 ? "request" : "requests"}`;
  return failed ? `${sent}, ${failed} failed` : sent;
}
