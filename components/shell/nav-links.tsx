"use client";
import { Boxes, ScrollText, Settings, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

export function NavLinks({ isAdmin }: { isAdmin: boolean }) {
  const path = usePathname();
  const links = [
    { href: "/stacks", label: "Stacks", icon: Boxes },
    { href: "/audit", label: "Audit log", icon: ScrollText },
    ...(isAdmin ? [{ href: "/users", label: "Users", icon: Users }] : []),
    { href: "/settings", label: "Settings", icon: Settings },
  ];
  return (
    <nav aria-label="Main" className="grid gap-0.5 p-2">
      {links.map(({ href, label, icon: Icon }) => {
        const active = path === href || path.startsWith(href + "/");
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm hover:bg-accent",
              active && "bg-accent font-medium text-primary",
            )}
          >
            <Icon className="size-4 shrink-0" aria-hidden />
            <span className="sr-only md:not-sr-only">{label}</span>
          </Link>
        );
      })}
    </nav>
  );
}
