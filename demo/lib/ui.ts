// Server-rendered HTML UI (no JS): a table of records with per-row edit/delete
// forms and a create form. Forms POST to /{system}/ui/{collection}/... .
import type { Collection, Doc, FieldSpec } from "./collection";
import type { RecordAction } from "./types";
import { uiMode } from "./ui-actions";

export { applyUiAction, formToDoc } from "./ui-actions";

export const UI_LIMIT = 200;

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;background:#f5f7fa}
header{background:#fff;border-bottom:1px solid #e4e7eb;padding:16px 24px}h1{margin:0;font-size:20px}h2{font-size:15px;margin:0 0 10px}
main{padding:16px 24px}.muted{color:#616e7c}.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:14px;margin-bottom:16px}
nav a{margin-right:12px}a{color:#2563eb}
.create{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}.create div{display:flex;flex-direction:column;gap:3px}
label{font-size:12px;color:#52606d}select{padding:5px 7px;border:1px solid #cbd2d9;border-radius:5px;font:inherit}input[type=text],input[type=number]{padding:5px 7px;border:1px solid #cbd2d9;border-radius:5px;font:inherit;min-width:0;width:100%}
.create input[type=text]{width:200px}.create input[type=number]{width:110px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e4e7eb}th,td{padding:6px 8px;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:middle}
th{background:#f9fafb;font-size:12px;color:#52606d;font-weight:600}td.id,td.ts{font:12px ui-monospace,monospace;color:#52606d;white-space:nowrap}
button{padding:5px 10px;border:1px solid #2563eb;background:#2563eb;color:#fff;border-radius:5px;font:inherit;cursor:pointer}
button.approve{background:#15803d;border-color:#15803d}button.danger{background:#fff;color:#b91c1c;border-color:#e5a5a5}td.actions{white-space:nowrap}td.actions form{display:inline}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.flash{padding:10px 12px;border-radius:6px;margin-bottom:16px}.flash.error{background:#fdecec;color:#8a1c1c}.flash.ok{background:#e8f6ee;color:#1b5e3a}
`;

export interface PageOptions {
  systemKey: string;
  systemTitle: string;
  /** shown as the collection's API route, e.g. "/onboarding/api/sync/vessels" */
  apiPath: string;
  collection: Collection;
  collections: readonly string[];
  /** extra per-record buttons */
  actions?: readonly RecordAction[];
  error?: string | null;
  ok?: string | null;
}

const isJson = (f: FieldSpec) => f.type === "object" || f.type === "array";

/** How a stored value reads in a text input or a cell. */
function shown(f: FieldSpec, value: unknown): string {
  if (isJson(f)) return value === null || value === undefined ? "" : JSON.stringify(value);
  return value === null || value === undefined ? "" : String(value);
}

function input(f: FieldSpec, id: string, value: unknown, formId?: string): string {
  const form = formId ? ` form="${escapeHtml(formId)}"` : "";
  const name = escapeHtml(f.name);
  if (f.type === "boolean") {
    const checked = value === true ? " checked" : "";
    return `<input type="hidden" name="${name}" value="false"${form}><input type="checkbox" id="${escapeHtml(id)}" name="${name}" value="true"${checked}${form}>`;
  }
  if (f.enum) {
    const blank = f.required ? "" : `<option value=""${value === null || value === "" ? " selected" : ""}>—</option>`;
    const options = f.enum.map((o) => `<option${o === value ? " selected" : ""}>${escapeHtml(o)}</option>`).join("");
    return `<select id="${escapeHtml(id)}" name="${name}"${form}>${blank}${options}</select>`;
  }
  const numeric = f.type === "number" || f.type === "nullable-number";
  const type = numeric ? "number" : "text";
  const step = numeric ? ' step="any"' : "";
  const req = f.required ? " required" : "";
  return `<input type="${type}"${step} id="${escapeHtml(id)}" name="${name}" value="${escapeHtml(shown(f, value))}"${req}${form}>`;
}

function cell(f: FieldSpec, doc: Doc, rowKey: string, formId: string): string {
  if (uiMode(f) !== "edit") {
    const v = doc[f.name];
    if (v === null || v === undefined) return '<td><span class="muted">—</span></td>';
    return `<td>${escapeHtml(typeof v === "boolean" ? (v ? "yes" : "no") : shown(f, v))}</td>`;
  }
  const id = `${rowKey}-${f.name}`;
  return `<td><label class="sr" for="${escapeHtml(id)}">${escapeHtml(f.label)}</label>${input(f, id, doc[f.name], formId)}</td>`;
}

function actionForms(o: PageOptions, doc: Doc, idPath: string): string {
  return (o.actions ?? [])
    .filter((a) => !a.applies || a.applies(doc, o.collection))
    .map(
      (a) =>
        ` <form method="post" action="${idPath}/${encodeURIComponent(a.name)}"><button type="submit" class="${escapeHtml(a.name)}" aria-label="${escapeHtml(`${a.label} ${String(doc[o.collection.spec.titleField] ?? doc.id)}`)}">${escapeHtml(a.label)}</button></form>`,
    )
    .join("");
}

export function renderPage(o: PageOptions): string {
  const { collection: col, systemKey: key } = o;
  const spec = col.spec;
  const title = `${o.systemTitle} — ${spec.name}`;
  const base = `/${key}/ui/${encodeURIComponent(spec.name)}`;
  const fields = spec.fields.filter((f) => uiMode(f) !== "hidden");
  const createFields = fields.filter((f) => uiMode(f) !== "readonly");
  const docs = col.store.newest(UI_LIMIT);

  const createForm = createFields
    .map((f) => {
      const id = `new-${f.name}`;
      const value = f.type === "boolean" || f.type === "number" || f.enum ? f.default : "";
      return `<div><label for="${id}">${escapeHtml(f.label)}</label>${input(f, id, value)}</div>`;
    })
    .join("");

  const rows = docs
    .map((doc, i) => {
      const rowKey = `r${i}`;
      const formId = `u${i}`;
      const idPath = `${base}/${encodeURIComponent(String(doc.id))}`;
      return `<tr><td class="id">${escapeHtml(doc.id)}</td>${fields.map((f) => cell(f, doc, rowKey, formId)).join("")}<td class="ts">${escapeHtml(doc[spec.updatedField])}</td><td class="actions"><form id="${formId}" method="post" action="${idPath}/update"><button type="submit">Save</button></form> <form method="post" action="${idPath}/delete"><button type="submit" class="danger">Delete</button></form>${actionForms(o, doc, idPath)}</td></tr>`;
    })
    .join("\n");

  const nav =
    o.collections.length > 1
      ? `<nav>${o.collections.map((c) => `<a href="/${key}/?c=${encodeURIComponent(c)}"${c === spec.name ? ' aria-current="page"' : ""}>${escapeHtml(c)}</a>`).join("")}</nav>`
      : "";
  const flash =
    (o.error ? `<div class="flash error" role="alert">${escapeHtml(o.error)}</div>` : "") +
    (o.ok ? `<div class="flash ok" role="status">${escapeHtml(o.ok)}</div>` : "");

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(title)}</h1>
<p class="muted">${col.size} records${col.size > UI_LIMIT ? ` · showing the ${UI_LIMIT} most recently updated` : ""} · API: <code>${escapeHtml(o.apiPath)}</code></p>${nav}</header>
<main>${flash}
<section class="card"><h2>Create</h2><form class="create" method="post" action="${base}/create">${createForm}<div><button type="submit">Create</button></div></form></section>
<table><thead><tr><th>ID</th>${fields.map((f) => `<th>${escapeHtml(f.label)}</th>`).join("")}<th>Updated</th><th>Actions</th></tr></thead>
<tbody>
${rows || `<tr><td colspan="${fields.length + 3}" class="muted">No records yet.</td></tr>`}
</tbody></table></main></body></html>`;
}
