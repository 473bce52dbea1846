"use client";
import * as Menu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, LogOut } from "lucide-react";
import { signOut } from "@/app/(console)/actions";
import type { Role } from "@/lib/roles";

export function UserMenu({ email, name, role }: { email: string; name: string; role: Role }) {
  return (
    <Menu.Root>
      <Menu.Trigger className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-accent" aria-label={`Account: ${email}`}>
        <span className="grid size-6 place-items-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">{name.slice(0, 1).toUpperCase()}</span>
        <span className="hidden text-left sm:block">
          <span className="block leading-tight">{email}</span>
          <span className="block text-xs leading-tight text-muted-foreground">{role}</span>
        </span>
        <ChevronDown className="size-4 text-muted-foreground" aria-hidden />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content align="end" sideOffset={4} className="z-50 min-w-44 rounded-md border bg-card p-1 shadow-md">
          <Menu.Label className="px-2 py-1 text-xs text-muted-foreground">Signed in as {role}</Menu.Label>
          <Menu.Item
            className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-accent"
            onSelect={() => {
              void signOut();
            }}
          >
            <LogOut className="size-4" aria-hidden /> Sign out
          </Menu.Item>
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
