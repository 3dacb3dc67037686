import type { TUserView } from "~/server/services/user-view";
import { DateTime } from "../date-time";
import { TableRegion, tdClass, thClass } from "../table-region";
import { DisableButton } from "./disable-button";
import { RoleControl } from "./role-control";

function StatusBadge({ disabled }: { disabled: boolean }) {
  return disabled ? (
    <span className="inline-flex rounded-full bg-zinc-200 px-2 py-0.5 text-xs font-medium text-zinc-700">Disabled</span>
  ) : (
    <span className="inline-flex rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">Active</span>
  );
}

/** Everyone sees the list; only admins (`canManage`) get the role and disable controls. */
export function UsersTable({ users, canManage, currentUserId }: { users: TUserView[]; canManage: boolean; currentUserId: string }) {
  return (
    <TableRegion label="Users">
      <table className="min-w-full divide-y divide-zinc-200">
        <thead className="bg-zinc-50">
          <tr>
            <th scope="col" className={thClass}>Email</th>
            <th scope="col" className={thClass}>Name</th>
            <th scope="col" className={thClass}>Role</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={thClass}>Last sign-in</th>
            {canManage ? <th scope="col" className={thClass}><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {users.map((u) => {
            const isSelf = u.id === currentUserId;
            return (
              <tr key={u.id} data-email={u.email}>
                <th scope="row" className={`${tdClass} min-w-[14rem] text-left font-medium [overflow-wrap:anywhere]`}>
                  {u.email}
                  {isSelf ? <span className="ml-1.5 text-xs font-normal text-zinc-500">(you)</span> : null}
                </th>
                <td className={tdClass}>{u.name || <span className="text-zinc-400">—</span>}</td>
                <td className={tdClass}>
                  {canManage ? <RoleControl key={u.role} userId={u.id} email={u.email} role={u.role} /> : u.role}
                </td>
                <td className={tdClass}>
                  <StatusBadge disabled={u.disabled} />
                </td>
                <td className={`${tdClass} text-zinc-600`}>{u.lastSignInAt ? <DateTime value={u.lastSignInAt} /> : "Never"}</td>
                {canManage ? (
                  <td className={tdClass}>
                    {isSelf ? null : <DisableButton key={String(u.disabled)} userId={u.id} email={u.email} disabled={u.disabled} />}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableRegion>
  );
}
