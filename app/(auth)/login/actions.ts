"use server";
import { redirect } from "next/navigation";
import { loginSchema } from "@/lib/schemas/auth";
import { safeNextPath } from "@/lib/safe-next";
import { zodFieldErrors } from "@/server/actions/define-action";
import type { ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/server/audit/audit";
import { requestClientAddress, startSession } from "@/server/auth/current";
import { loginWaitMs, recordLoginFailure, recordLoginSuccess, waitMessage } from "@/server/auth/login-throttle";
import { burnVerifyTime, verifyPassword } from "@/server/auth/password";
import { findUserWithHash } from "@/server/auth/users";
import { config } from "@/server/config";
import { db } from "@/server/db";

// The one action anonymous users may call. Throttled per (email, client address) and per client address
// (server/auth/login-throttle.ts), so failures from one place never lock out someone signing in from another.
export async function login(raw: unknown, next?: unknown): Promise<ActionResult> {
  const parsed = loginSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "Some fields need attention.", fieldErrors: zodFieldErrors(parsed.error) };
  if (config().CONSOLE_PASSWORD_LOGIN === "false") return { ok: false, error: "Password sign-in is turned off. Use single sign-on." };
  const { email, password } = parsed.data;
  const store = await db();
  const address = await requestClientAddress();
  const wait = await loginWaitMs(store, email, address);
  if (wait) return { ok: false, error: waitMessage(wait) };
  const found = await findUserWithHash(store, email);
  const valid = found ? await verifyPassword(found.passwordHash, password) : (await burnVerifyTime(password), false);
  if (!found || !valid || found.user.disabled) {
    await recordLoginFailure(store, email, address);
    await recordAudit(store, {
      actor: { email },
      action: "auth.login",
      target: `user:${email}`,
      params: { address },
      outcome: "denied",
      message: found?.user.disabled && valid ? "disabled" : "bad credentials",
    });
    return {
      ok: false,
      error: found?.user.disabled && valid ? "This account is disabled. Ask an admin to enable it." : "Email or password is incorrect.",
    };
  }
  await recordLoginSuccess(store, email, address);
  await startSession(found.user.id);
  await recordAudit(store, {
    actor: found.user,
    action: "auth.login",
    target: `user:${found.user.email}`,
    params: { address },
    outcome: "ok",
  });
  redirect(safeNextPath(next));
}
