// Id generators for the three id styles the sample systems use.
import { randomUUID } from "node:crypto";
import type { Id } from "./store";

export type IdKind = "int" | "objectid" | "uuid";

/** Fixed 18-hex prefix: ObjectId-looking, deterministic ids (prefix + 6-hex counter). */
const OBJECTID_PREFIX = "665f1c00a1b2c3d4e5";
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class IdGenerator {
  private counter = 1;

  constructor(readonly kind: IdKind) {}

  next(): Id {
    switch (this.kind) {
      case "int":
        return this.counter++;
      case "objectid":
        return OBJECTID_PREFIX + (this.counter++).toString(16).padStart(6, "0");
      case "uuid":
        return randomUUID();
    }
  }

  /** Makes sure ids loaded from outside (seeding) are never generated again. */
  observe(id: Id): void {
    if (this.kind === "int" && typeof id === "number") this.counter = Math.max(this.counter, id + 1);
    if (this.kind === "objectid" && typeof id === "string" && id.startsWith(OBJECTID_PREFIX)) {
      this.counter = Math.max(this.counter, parseInt(id.slice(OBJECTID_PREFIX.length), 16) + 1);
    }
  }

  reset(): void {
    this.counter = 1;
  }

  /** Parses an id from a URL segment or JSON value; undefined when it cannot be an id of this kind. */
  parse(raw: unknown): Id | undefined {
    switch (this.kind) {
      case "int": {
        if (typeof raw === "number") return Number.isSafeInteger(raw) && raw > 0 ? raw : undefined;
        if (typeof raw === "string" && /^[1-9]\d{0,14}$/.test(raw)) return Number(raw);
        return undefined;
      }
      case "objectid":
        return typeof raw === "string" && /^[0-9a-f]{24}$/.test(raw) ? raw : undefined;
      case "uuid": {
        if (typeof raw !== "string") return undefined;
        const lower = raw.toLowerCase();
        return UUID_RE.test(lower) ? lower : undefined;
      }
    }
  }
}
