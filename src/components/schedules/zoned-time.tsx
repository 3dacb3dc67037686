/** "Sat 22 Nov 2026, 03:00 GMT": a time as the schedule's own timezone reads it (rendered on the server). */
export function formatZoned(value: Date, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(value);
  } catch {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(value);
  }
}

export function ZonedTime({ value, timeZone }: { value: Date; timeZone: string }) {
  return (
    <time dateTime={value.toISOString()} className="whitespace-nowrap">
      {formatZoned(value, timeZone)}
    </time>
  );
}
