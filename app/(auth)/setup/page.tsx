import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { setupOpen } from "@/server/auth/bootstrap";
import { db } from "@/server/db";

// Reads the user table on every request (first-run setup), never prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  // Only offered while no user exists and no admin comes from the environment; afterwards it is just a redirect.
  if (!(await setupOpen(await db()))) redirect("/login");
  return <SetupForm />;
}
