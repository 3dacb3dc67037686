import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "~/env";
import { isSyncError } from "~/sync/errors";
import { getDb } from "~/server/db";
import type { TUserRole } from "~/server/db/schema";
import { log } from "~/server/log";
import { getSessionUser } from "~/server/services/get-session-user";
import { clientAddress } from "~/server/services/sign-in-throttle";
import { verifyCredentials } from "~/server/services/verify-credentials";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: TUserRole } & DefaultSession["user"];
  }
  interface User {
    role?: TUserRole;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: TUserRole;
    /** When the session was issued (ms): a later password change or disable ends it. */
    issuedAtMs?: number;
  }
}

/** Locked out after repeated failures: the sign-in page says so. */
export class RateLimitedSignin extends CredentialsSignin {
  code = "rate_limited";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: Math.round(env.SESSION_MAX_AGE_HOURS * 3600) },
  pages: { signIn: "/signin" },
  logger: {
    error: (error) => {
      // A wrong password is an expected outcome, answered on the sign-in page; anything else is worth a warning.
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      log.warn({ err: { name: error.name, message: error.message } }, "auth error");
    },
    warn: (code) => log.warn({ code }, "auth warning"),
    debug: () => {},
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, request) => {
        const { db } = await getDb();
        try {
          const user = await verifyCredentials({ db, input: credentials, address: clientAddress(request.headers) });
          log.info({ userId: user.id }, "signed in");
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        } catch (err) {
          if (isSyncError(err) && err.code === "RATE_LIMITED") throw new RateLimitedSignin();
          if (isSyncError(err) && err.code === "UNAUTHORIZED") return null;
          throw err;
        }
      },
    }),
  ],
  callbacks: {
    jwt: async ({ token, user }) => {
      if (user?.id) {
        return { ...token, uid: user.id, role: user.role ?? "viewer", issuedAtMs: Date.now() };
      }
      if (!token.uid) return null;
      const { db } = await getDb();
      const current = await getSessionUser(db, token.uid, token.issuedAtMs ?? 0);
      if (!current) return null;
      return { ...token, role: current.role, name: current.name, email: current.email };
    },
    session: ({ session, token }) => {
      if (token.uid) {
        session.user.id = token.uid;
        session.user.role = token.role ?? "viewer";
      }
      return session;
    },
  },
});
