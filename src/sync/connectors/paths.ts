/**
 * A tiny path language for finding things in JSON response bodies.
 *
 * - `"a.b.c"` walks object keys; `""` is the root itself.
 * - A segment ending in `[]` (e.g. `"errors[]"`) expects an array there and continues into
 *   every element, so `"errors[].field"` yields the `field` of each error.
 *
 * Field-name paths (dialect `errorFieldPaths`) end at whatever names the field:
 * a string (`"errors[].field"` → "slug"), an array of strings (first one), or an object whose
 * first key is the field (`"error.fields"` with `{ slug: "taken" }` → "slug").
 */

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Every value the path reaches, in document order. */
export function collectPath(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  if (path === "") return current;
  for (const rawSegment of path.split(".")) {
    const fanOut = rawSegment.endsWith("[]");
    const key = fanOut ? rawSegment.slice(0, -2) : rawSegment;
    const next: unknown[] = [];
    for (const node of current) {
      let value: unknown;
      if (key === "") value = node;
      else if (isRecord(node)) value = node[key];
      else if (Array.isArray(node) && /^\d+$/.test(key)) value = node[Number(key)];
      else continue;
      if (value === undefined) continue;
      if (fanOut) {
        if (Array.isArray(value)) next.push(...(value as unknown[]));
      } else {
        next.push(value);
      }
    }
    current = next;
  }
  return current;
}

/** The first value the path reaches, or undefined. */
export function getPath(root: unknown, path: string): unknown {
  return collectPath(root, path)[0];
}

function fieldNameOf(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  if (Array.isArray(value)) {
    // Only an array of strings names fields; use `[]` in the path to look inside objects.
    const first = value.find((item): item is string => typeof item === "string" && item.length > 0);
    return first;
  }
  if (isRecord(value)) return Object.keys(value)[0];
  return undefined;
}

/** The offending field named by the first path that finds one, or undefined. */
export function findErrorField(body: unknown, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    for (const value of collectPath(body, path)) {
      const name = fieldNameOf(value);
      if (name) return name;
    }
  }
  return undefined;
}
