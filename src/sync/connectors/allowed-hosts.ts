/**
 * An optional allow-list of the hosts Concord may call (CONCORD_ALLOWED_HOSTS): `host`, `host:port`, or
 * `*.domain` (any subdomain). No list (null) allows every host; system URLs are http(s) only either way.
 */
export function parseAllowedHosts(value: string | undefined | null): string[] | null {
  if (!value?.trim()) return null;
  return value
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

/** Whether `url`'s host is on the list (a null list allows all). */
export function hostAllowed(url: URL, allowed: readonly string[] | null | undefined): boolean {
  if (!allowed) return true;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return allowed.some((entry) => {
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ""))!;
    const [name, wantPort] = [m[1]!, m[2]];
    if (wantPort && wantPort !== port) return false;
    if (name.startsWith("*.")) return host.endsWith(name.slice(1)) && host.length > name.length - 1;
    return host === name;
  });
}
