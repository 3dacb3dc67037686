import { z } from "zod";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { changeOwnPassword, ZChangeOwnPasswordInput } from "~/server/services/change-own-password";
import { createUser, ZCreateUserInput } from "~/server/services/create-user";
import { listUsers } from "~/server/services/list-users";
import { setUserDisabled, ZSetUserDisabledInput } from "~/server/services/set-user-disabled";
import { setUserRole, ZSetUserRoleInput } from "~/server/services/set-user-role";
import { ZUserView } from "~/server/services/user-view";

export const usersRouter = createTRPCRouter({
  list: protectedProcedure.output(z.array(ZUserView)).query(({ ctx }) => listUsers({ db: ctx.db })),
  create: adminProcedure
    .input(ZCreateUserInput)
    .output(z.object({ user: ZUserView, temporaryPassword: z.string().nullable() }))
    .mutation(({ ctx, input }) => createUser({ db: ctx.db, actor: ctx.actor, input })),
  setRole: adminProcedure.input(ZSetUserRoleInput).output(ZUserView).mutation(({ ctx, input }) => setUserRole({ db: ctx.db, actor: ctx.actor, input })),
  setDisabled: adminProcedure
    .input(ZSetUserDisabledInput)
    .output(ZUserView)
    .mutation(({ ctx, input }) => setUserDisabled({ db: ctx.db, actor: ctx.actor, input })),
  changeOwnPassword: protectedProcedure
    .input(ZChangeOwnPasswordInput)
    .mutation(({ ctx, input }) => changeOwnPassword({ db: ctx.db, actor: ctx.actor, input })),
});
