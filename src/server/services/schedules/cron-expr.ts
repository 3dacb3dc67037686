import { CronExpressionParser } from "cron-parser";
import cronstrue from "cronstrue";
import { SyncError } from "~/sync/errors";

/**
 * Cron expressions of schedules: five fields (minute hour day-of-month month day-of-week) or an alias
 * such as @daily, read by cron-parser in the schedule's IANA timezone and explained by cronstrue.
 * No seconds field: the tick runs once a minute.
 */

export function assertTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw new SyncError("BAD_REQUEST", `timezone: "${timezone}" is not an IANA timezone (e.g. UTC, Europe/London).`, { field: "timezone" });
  }
}

/** Throws BAD_REQUEST naming `cron`, with the parser's own words, when the expression is not valid. */
export function assertCron(cron: string, timezone = "UTC"): void {
  const text = cron.trim();
  const fields = text.split(/\s+/).length;
  if (text === "@secondly" || (!text.startsWith("@") && fields !== 5)) {
    throw new SyncError("BAD_REQUEST", `cron: "${text}" must have five fields (minute hour day-of-month month day-of-week), e.g. "*/15 * * * *"; the tick runs once a minute.`, { field: "cron" });
  }
  assertTimezone(timezone);
  try {
    CronExpressionParser.parse(text, { tz: timezone, currentDate: new Date() }).next();
  } catch (err) {
    throw new SyncError("BAD_REQUEST", `cron: ${err instanceof Error ? err.message : String(err)}`, { field: "cron" });
  }
}

/** The next `count` times the expression fires strictly after `after`, in its timezone. */
export function nextRuns(cron: string, timezone: string, after: Date, count: number): Date[] {
  const it = CronExpressionParser.parse(cron.trim(), { tz: timezone, currentDate: after });
  const out: Date[] = [];
  while (out.length < count && it.hasNext()) out.push(it.next().toDate());
  return out;
}

/** "Every 15 minutes", "At 03:00, Monday through Friday"…; null when cronstrue cannot say. */
export function explainCron(cron: string): string | null {
  try {
    return cronstrue.toString(cron.trim(), { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}
