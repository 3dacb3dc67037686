// Write-only values (passwords): accepted on input, kept only as a hash outside the
// document, reflected by a boolean flag field, never returned or shown.
import type { WriteOnlySpec } from "./spec";
import type { Doc, Id } from "./store";

/** Hashes to store for one write: field → hash, or null to clear. */
export type WriteOnlyInput = Map<string, string | null>;

export class WriteOnlyValues {
  private readonly stored = new Map<Id, Map<string, string>>();

  constructor(private readonly specs: readonly WriteOnlySpec[]) {}

  /** Checks the write-only fields present in `input`; hashes the valid ones. */
  accept(input: Doc, errors: Record<string, string>): WriteOnlyInput {
    const out: WriteOnlyInput = new Map();
    for (const s of this.specs) {
      if (!(s.name in input)) continue;
      const v = input[s.name];
      if (v === null) out.set(s.name, null);
      else if (typeof v !== "string") errors[s.name] = "Must be a string or null.";
      else if (v.length < (s.minLength ?? 1)) errors[s.name] = `Must be at least ${s.minLength ?? 1} characters.`;
      else if (!Object.keys(errors).length) out.set(s.name, s.hash(v)); // hash only a write that will happen
    }
    return out;
  }

  /** Stores the accepted hashes for `id` and sets the flag of each written field on `doc`. */
  store(id: Id, input: WriteOnlyInput, doc: Doc): void {
    let mine = this.stored.get(id);
    for (const [name, hash] of input) {
      if (hash === null) mine?.delete(name);
      else {
        mine ??= new Map();
        mine.set(name, hash);
        this.stored.set(id, mine);
      }
    }
    for (const s of this.specs) if (input.has(s.name) || !(s.flag in doc)) doc[s.flag] = mine?.has(s.name) ?? false;
  }

  verify(id: Id, name: string, value: string): boolean {
    const spec = this.specs.find((s) => s.name === name);
    const hash = this.stored.get(id)?.get(name);
    return spec !== undefined && hash !== undefined && spec.verify(value, hash);
  }

  forget(id: Id): void {
    this.stored.delete(id);
  }

  clear(): void {
    this.stored.clear();
  }
}
