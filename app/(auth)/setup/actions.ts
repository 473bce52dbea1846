"use server";
import { redirect } from "next/navigation";
import { setupSchema } from "@/lib/schemas/auth";
import { zodFieldErrors } from "@/server/actions/define-action";
import type { ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/server/audit/audit";
import { startSession } from "@/server/auth/current";
import { countUsers, createUser } from "@/server/auth/users";
import { db } from "@/server/db";

// One-time: creates the first admin, and only while the console has no user at all.
export async function setupAdmin(raw: unknown): Promise<ActionResult> {
  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "Some fields need attention.", fieldErrors: zodFieldErrors(parsed.error) };
  const store = await db();
  const user = await store.tx(async (tx) => {
    if ((await countUsers(tx)) > 0) return undefined;
    return createUser(tx, { ...parsed.data, role: "admin" });
  });
  if (!user) return { ok: false, error: "The console is already set up. Sign in instead." };
  await recordAudit(store, {
    actor: user,
    action: "user.bootstrap",
    target: `user:${user.email}`,
    params: { email: user.email, role: "admin" },
    outcome: "ok",
  });
  await startSession(user.id);
  redirect("/stacks");
}
