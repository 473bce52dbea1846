"use server";
import { redirect } from "next/navigation";
import { recordAudit } from "@/server/audit/audit";
import { currentUser, endSession } from "@/server/auth/current";
import { db } from "@/server/db";
import type { ActionResult } from "@/lib/action-result";

export async function signOut(): Promise<ActionResult> {
  const user = await currentUser();
  if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
  await endSession();
  await recordAudit(await db(), { actor: user, action: "auth.logout", target: `user:${user.email}`, outcome: "ok" });
  redirect("/login");
}
