const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string, end: boolean): Date | undefined {
  if (!DAY.test(value)) return undefined;
  const d = new Date(`${value}T${end ? "23:59:59.999" : "00:00:00.000"}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The URL's `from` / `to` days (YYYY-MM-DD, as a date input sends them) as instants: the start of `from` and
 * the end of `to`, in UTC like every time the console shows. An unreadable day is left out; `to` before
 * `from` is an error to show next to `to`.
 */
export function dayRange(from: string, to: string): { from?: Date; to?: Date; error?: string } {
  const f = day(from, false);
  const t = day(to, true);
  if (f && t && f > t) return { error: "Must not be before the first day." };
  return { from: f, to: t };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
