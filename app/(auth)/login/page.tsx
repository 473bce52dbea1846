import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { ensureBootstrapAdmin } from "@/server/auth/bootstrap";
import { currentUser } from "@/server/auth/current";

// Reads the user table on every request (first-run setup), never prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (!(await ensureBootstrapAdmin())) redirect("/setup");
  if (await currentUser()) redirect("/stacks");
  const { next } = await searchParams;
  return <LoginForm next={typeof next === "string" ? next : undefined} />;
}
