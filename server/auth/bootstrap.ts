import "server-only";
import { recordAudit } from "@/server/audit/audit";
import { config } from "@/server/config";
import { db } from "@/server/db";
import { createUser, countUsers } from "./users";

/**
 * First run: with no users at all, create the admin from CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD.
 * Returns whether any user exists afterwards (false → the one-time /setup page asks for the admin).
 */
export async function ensureBootstrapAdmin(): Promise<boolean> {
  const store = await db();
  if ((await countUsers(store)) > 0) return true;
  const { CONSOLE_ADMIN_EMAIL: email, CONSOLE_ADMIN_PASSWORD: password } = config();
  if (!email || !password) return false;
  try {
    const user = await createUser(store, { email, name: "Administrator", password, role: "admin" });
    await recordAudit(store, {
      actor: { email: "system" },
      action: "user.bootstrap",
      target: `user:${user.email}`,
      params: { email, role: "admin" },
      outcome: "ok",
    });
  } catch {
    // Another replica (or request) created it first; either way a user exists now.
  }
  return true;
}
