// HTML UI form handling: typed form values, and the create / update / delete / custom
// record actions, which write like the API does (validated, counted, webhooks sent).
import { ConflictError, NotFoundError, ValidationError, type Collection, type Doc, type FieldSpec } from "./collection";
import type { RecordAction } from "./types";

export const uiMode = (f: FieldSpec): NonNullable<FieldSpec["ui"]> => (f.computed ? "readonly" : (f.ui ?? "edit"));

/** Turns submitted form fields into a document patch (typed per field spec). */
export function formToDoc(col: Collection, form: URLSearchParams, mode: "create" | "update"): Doc {
  const out: Doc = {};
  for (const f of col.spec.fields) {
    const m = uiMode(f);
    if (m === "readonly" || m === "hidden" || (mode === "update" && m !== "edit") || !form.has(f.name)) continue;
    const raw = form.getAll(f.name);
    const last = raw[raw.length - 1] ?? "";
    switch (f.type) {
      case "boolean":
        out[f.name] = raw.includes("true");
        break;
      case "number":
        if (last.trim() !== "") out[f.name] = isNaN(Number(last)) ? last : Number(last);
        break;
      case "nullable-number":
        out[f.name] = last.trim() === "" ? null : isNaN(Number(last)) ? last : Number(last);
        break;
      case "nullable-string":
        out[f.name] = last === "" ? null : last;
        break;
      case "object":
      case "array":
        if (last.trim() !== "") out[f.name] = parseJson(last);
        break;
      default:
        out[f.name] = last;
    }
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // refused by validation with the field's name
  }
}

/**
 * Runs a UI form action (`["create"]`, `[id, "update"]`, `[id, "delete"]`, `[id, <action name>]`);
 * writes behave like API writes.
 */
export function applyUiAction(col: Collection, action: string[], form: URLSearchParams, actions: readonly RecordAction[] = []): { kind: "ok" | "error"; message: string } {
  const [first, second] = action;
  const id = action.length === 2 ? col.parseId(first) : undefined;
  try {
    if (action.length === 1 && first === "create") {
      return { kind: "ok", message: `Created ${String(col.create(formToDoc(col, form, "create")).id)}` };
    }
    if (id !== undefined && second === "update") {
      col.update(id, formToDoc(col, form, "update"));
      return { kind: "ok", message: `Saved ${String(id)}` };
    }
    if (id !== undefined && second === "delete") {
      col.remove(id);
      return { kind: "ok", message: `Deleted ${String(id)}` };
    }
    const custom = actions.find((a) => a.name === second);
    if (id !== undefined && custom) {
      const doc = col.get(id);
      if (!doc || (custom.applies && !custom.applies(doc, col))) return { kind: "error", message: "Not found" };
      custom.run(col, id);
      return { kind: "ok", message: `${custom.label}: ${String(id)}` };
    }
    return { kind: "error", message: "Not found" };
  } catch (err) {
    if (err instanceof ValidationError) {
      return { kind: "error", message: Object.entries(err.fields).map(([f, m]) => `${f}: ${m}`).join("; ") };
    }
    if (err instanceof ConflictError) return { kind: "error", message: err.message };
    if (err instanceof NotFoundError) return { kind: "error", message: "Not found" };
    throw err;
  }
}
