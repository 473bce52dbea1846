import Link from "next/link";
import type { Role } from "@/lib/roles";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

export function AppShell({ user, children }: { user: { email: string; name: string; role: Role }; children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen">
      {/* Below md the sidebar is an icon rail, so the pages keep their width on small screens. */}
      <aside className="sticky top-0 flex h-screen w-14 shrink-0 flex-col border-r bg-card md:w-52">
        <Link href="/stacks" aria-label="Prefect ECS Console: stacks" className="flex items-center gap-2 border-b px-4 py-3">
          <svg aria-hidden viewBox="0 0 32 32" className="size-6">
            <rect width="32" height="32" rx="7" className="fill-primary" />
            <path d="M9 8h9a6 6 0 0 1 0 12h-4v4H9z" fill="#fff" />
          </svg>
          <span className="hidden text-sm font-semibold leading-tight md:inline">
            Prefect ECS
            <br />
            <span className="text-xs font-normal text-muted-foreground">Console</span>
          </span>
        </Link>
        <NavLinks isAdmin={user.role === "admin"} />
        <div className="mt-auto border-t p-2">
          <ThemeToggle />
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 items-center justify-end gap-3 border-b bg-card px-4">
          <UserMenu email={user.email} name={user.name} role={user.role} />
        </header>
        <main className="min-w-0 flex-1 px-3 py-5 md:px-6">{children}</main>
      </div>
    </div>
  );
}
