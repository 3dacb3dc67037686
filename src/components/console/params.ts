/** Reading a page's searchParams and building links that keep them. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** One trimmed value of a search param, "" when absent. */
export function param(sp: SearchParams, key: string): string {
  const v = sp[key];
  return (Array.isArray(v) ? v[0] : v)?.trim().slice(0, 200) ?? "";
}

/** A 1-based page number from the URL, clamped to something the server accepts. */
export function pageParam(sp: SearchParams, key = "page"): number {
  const n = Number.parseInt(param(sp, key), 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, 1), 100_000) : 1;
}

/** `path?a=1&b=2` with empty values (and page 1) left out. */
export function hrefWith(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "") continue;
    if (k.toLowerCase().endsWith("page") && Number(v) <= 1) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export const totalPages = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));
