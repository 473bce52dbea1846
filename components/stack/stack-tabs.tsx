"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

// The stack page's tabs. Overview/Metrics/Alarms/Timeline are the operations dashboard; Logs, Runs and Settings
// are sub-pages owned by other features, linked here so the stack has one navigation.
export function StackTabs({ env }: { env: string }) {
  const path = usePathname();
  const base = `/stacks/${env}`;
  const tabs = [
    { href: base, label: "Overview", exact: true },
    { href: `${base}/metrics`, label: "Metrics" },
    { href: `${base}/alarms`, label: "Alarms" },
    { href: `${base}/timeline`, label: "Timeline" },
    { href: `${base}/logs`, label: "Logs" },
    { href: `${base}/runs`, label: "Runs" },
    { href: `${base}/spec`, label: "Settings" },
  ];
  return (
    <nav aria-label="Stack" className="mb-4 flex gap-1 overflow-x-auto border-b">
      {tabs.map((t) => {
        const active = t.exact ? path === t.href : path === t.href || path.startsWith(t.href + "/");
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm text-muted-foreground hover:text-foreground",
              active ? "border-primary font-medium text-foreground" : "border-transparent",
            )}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
