import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { ensureBootstrapAdmin } from "@/server/auth/bootstrap";

// Reads the user table on every request (first-run setup), never prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  // Only reachable while no user exists; afterwards it is just a redirect.
  if (await ensureBootstrapAdmin()) redirect("/login");
  return <SetupForm />;
}
