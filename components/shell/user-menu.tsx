"use client";
import { LogOut } from "lucide-react";
import Link from "next/link";
import { useTransition } from "react";
import { signOut } from "@/app/(console)/actions";
import type { Role } from "@/lib/roles";

// Who is signed in, and a sign-out button beside it: one click, no menu library on every page's bundle.
export function UserMenu({ email, name, role }: { email: string; name: string; role: Role }) {
  const [pending, start] = useTransition();
  return (
    <div className="flex items-center gap-3">
      {/* The link's name is its text ("email role (your sessions)"): no aria-label that could drift from what it shows. */}
      <Link href="/account/sessions" title="Your sessions" className="flex items-center gap-2 rounded-md px-1 text-sm hover:bg-accent">
        <span aria-hidden className="grid size-6 place-items-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="sr-only text-left sm:not-sr-only sm:block">
          <span className="block leading-tight">{email}</span>{" "}
          <span className="block text-xs leading-tight text-muted-foreground">{role}</span>
          <span className="sr-only">(your sessions)</span>
        </span>
      </Link>
      <button
        type="button"
        disabled={pending}
        onClick={() => start(async () => void (await signOut()))}
        className="flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-muted-foreground hover:bg-accent hover:text-foreground disabled:opacity-60"
      >
        <LogOut className="size-4" aria-hidden />
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </div>
  );
}
