/** Every IANA timezone this runtime knows, for the schedule forms' suggestions. */
function timezones(): string[] {
  try {
    return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
  } catch {
    return ["UTC"];
  }
}

/** A <datalist> of timezones the schedule forms on the page point at (rendered on the server). */
export function TimezoneList({ id }: { id: string }) {
  return (
    <datalist id={id}>
      {timezones().map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}
