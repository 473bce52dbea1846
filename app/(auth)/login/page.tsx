import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { ssoErrorMessage } from "@/lib/auth-messages";
import { setupOpen } from "@/server/auth/bootstrap";
import { currentUser } from "@/server/auth/current";
import { oidcSettings } from "@/server/auth/oidc";
import { config } from "@/server/config";
import { db } from "@/server/db";

// Reads the user table on every request (first-run setup), never prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  if (await setupOpen(await db())) redirect("/setup");
  if (await currentUser()) redirect("/stacks");
  const { next, error } = await searchParams;
  const sso = oidcSettings();
  return (
    <LoginForm
      next={typeof next === "string" ? next : undefined}
      passwordLogin={config().CONSOLE_PASSWORD_LOGIN === "true"}
      sso={sso ? { name: sso.name } : undefined}
      ssoError={ssoErrorMessage(error)}
    />
  );
}
