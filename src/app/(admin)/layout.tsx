import type { ReactNode } from "react";
import { Announcer } from "~/components/announcer";
import { MobileNav } from "~/components/mobile-nav";
import { NavLinks } from "~/components/nav-links";
import { UserBox } from "~/components/user-box";
import { TRPCReactProvider } from "~/trpc/react";
import { requireSession } from "./session";

function Brand() {
  return <span className="text-lg font-semibold tracking-tight text-indigo-700">Concord</span>;
}

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  const user = <UserBox email={session.user.email ?? ""} role={session.user.role} />;

  return (
    <TRPCReactProvider>
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-4 py-2 text-sm font-semibold text-indigo-800 shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 flex items-center justify-between border-b border-zinc-200 bg-white px-4 py-3 lg:hidden">
        <Brand />
        <MobileNav footer={user} />
      </header>
      <div className="lg:flex lg:min-h-screen">
        <aside className="hidden w-60 shrink-0 border-r border-zinc-200 bg-white lg:block">
          <div className="sticky top-0 flex h-screen flex-col">
            <div className="px-6 pt-6 pb-4">
              <Brand />
              <p className="text-xs text-zinc-500">Admin console</p>
            </div>
            <nav aria-label="Main" className="flex-1 overflow-y-auto px-3">
              <NavLinks />
            </nav>
            <div className="border-t border-zinc-200 p-4">{user}</div>
          </div>
        </aside>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 focus:outline-none">
          <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-10">{children}</div>
        </main>
      </div>
      <Announcer />
    </TRPCReactProvider>
  );
}
