"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { loginSchema } from "@/lib/schemas/auth";
import { zodFieldErrors } from "@/server/actions/define-action";
import type { ActionResult } from "@/lib/action-result";
import { recordAudit } from "@/server/audit/audit";
import { startSession } from "@/server/auth/current";
import { burnVerifyTime, verifyPassword } from "@/server/auth/password";
import { clearFailures, LOGIN_MAX_FAILURES, lockedUntil, recordFailure } from "@/server/auth/rate-limit";
import { findUserWithHash } from "@/server/auth/users";
import { db } from "@/server/db";

// The one action anonymous users may call. Rate-limited per email and per client address.
export async function login(raw: unknown, next?: unknown): Promise<ActionResult> {
  const parsed = loginSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: "Some fields need attention.", fieldErrors: zodFieldErrors(parsed.error) };
  const { email, password } = parsed.data;
  const store = await db();
  const ip = (await headers()).get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
  const limits = [
    { key: `email:${email.toLowerCase()}`, max: LOGIN_MAX_FAILURES.email },
    { key: `ip:${ip}`, max: LOGIN_MAX_FAILURES.address },
  ];
  for (const { key } of limits) {
    const until = await lockedUntil(store, key);
    if (until) {
      const minutes = Math.ceil((until - Date.now()) / 60_000);
      return { ok: false, error: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
    }
  }
  const found = await findUserWithHash(store, email);
  const valid = found ? await verifyPassword(found.passwordHash, password) : (await burnVerifyTime(password), false);
  if (!found || !valid || found.user.disabled) {
    for (const { key, max } of limits) await recordFailure(store, key, max);
    await recordAudit(store, {
      actor: { email },
      action: "auth.login",
      target: `user:${email}`,
      outcome: "denied",
      message: found?.user.disabled ? "disabled" : "bad credentials",
    });
    return {
      ok: false,
      error: found?.user.disabled ? "This account is disabled. Ask an admin to enable it." : "Email or password is incorrect.",
    };
  }
  // A good sign-in clears this email's count only: an address's count is about many emails.
  await clearFailures(store, limits[0]!.key);
  await startSession(found.user.id);
  await recordAudit(store, { actor: found.user, action: "auth.login", target: `user:${found.user.email}`, outcome: "ok" });
  // Only same-site relative paths: never an open redirect.
  const dest = typeof next === "string" && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : "/stacks";
  redirect(dest);
}
