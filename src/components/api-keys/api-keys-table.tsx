import type { TApiKeyView } from "~/server/services/api-keys/api-key-view";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

/** Every key, revoked ones included: never the key itself, only its first characters. Admins get Revoke. */
export function ApiKeysTable({ keys, canManage }: { keys: TApiKeyView[]; canManage: boolean }) {
  return (
    <TableRegion label="API keys">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Name</th>
            <th scope="col" className={thClass}>Prefix</th>
            <th scope="col" className={thClass}>Scopes</th>
            <th scope="col" className={thClass}>Created</th>
            <th scope="col" className={thClass}>Last used</th>
            <th scope="col" className={thClass}>Status</th>
            {canManage ? <th scope="col" className={thClass}><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {keys.map((k) => (
            <tr key={k.id} data-api-key={k.id}>
              <th scope="row" className={`${tdClass} min-w-[10rem] text-left font-medium [overflow-wrap:anywhere]`}>{k.name}</th>
              <td className={`${tdClass} font-mono text-xs whitespace-nowrap`}>{k.prefix}…</td>
              <td className={tdClass}>
                <ul className="flex flex-wrap gap-1" aria-label={`Scopes of ${k.name}`}>
                  {k.scopes.map((s) => (
                    <li key={s} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">{s}</li>
                  ))}
                </ul>
              </td>
              <td className={`${tdClass} text-zinc-600`}>
                <DateTime value={k.createdAt} />
                <span className="block text-xs [overflow-wrap:anywhere]">by {k.createdBy}</span>
              </td>
              <td className={`${tdClass} text-zinc-600`}>{k.lastUsedAt ? <DateTime value={k.lastUsedAt} /> : "Never"}</td>
              <td className={tdClass} data-testid="api-key-status">
                {k.revokedAt ? (
                  <>
                    <span className="inline-flex rounded-full bg-zinc-200 px-2 py-0.5 text-xs font-medium text-zinc-700">Revoked</span>
                    <span className="mt-0.5 block text-xs text-zinc-600"><DateTime value={k.revokedAt} /></span>
                  </>
                ) : (
                  <span className="inline-flex rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">Active</span>
                )}
              </td>
              {canManage ? <td className={tdClass}>{k.revokedAt ? null : <RevokeApiKeyButton id={k.id} name={k.name} />}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
