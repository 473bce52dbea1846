"use server";
import { redirect } from "next/navigation";
import { setupSchema } from "@/lib/schemas/auth";
import { zodFieldErrors } from "@/server/actions/define-action";
import type { ActionResult } from "@/lib/action-result";
import { claimFirstAdmin, setupOpen } from "@/server/auth/bootstrap";
import { startSession } from "@/server/auth/current";
import { db } from "@/server/db";

// One-time: creates the first admin, only while the console offers setup (see server/auth/bootstrap.ts).
export async function setupAdmin(raw: unknown): Promise<ActionResult> {
  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "Some fields need attention.", fieldErrors: zodFieldErrors(parsed.error) };
  const store = await db();
  const closed = { ok: false as const, error: "The console is already set up. Sign in instead." };
  if (!(await setupOpen(store))) return closed;
  const user = await claimFirstAdmin(store, parsed.data);
  if (!user) return closed;
  await startSession(user.id);
  redirect("/stacks");
}
