import "server-only";
import { recordAudit } from "@/server/audit/audit";
import { config, type Config } from "@/server/config";
import { db, type Db } from "@/server/db";
import { takeLock } from "@/server/db/locks";
import { log } from "@/server/log";
import { countUsers, createUser, type User } from "./users";

// The first admin comes from one of two places, never both:
// - CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD: created when the console starts (instrumentation.ts), and /setup
//   is never offered;
// - otherwise the one-time /setup page, which only a console with no user at all offers, and which can be claimed
//   once: the claim runs under the `setup` lock, so two browsers racing create one admin.

/** Whether /setup may be shown: no env admin configured, password sign-in on, and no user yet. */
export async function setupOpen(store: Db, c: Config = config()): Promise<boolean> {
  if (c.CONSOLE_ADMIN_EMAIL || c.CONSOLE_PASSWORD_LOGIN === "false") return false;
  return (await countUsers(store)) === 0;
}

/** Creates the first admin unless any user exists; undefined when someone else got there first. */
export async function claimFirstAdmin(store: Db, input: { email: string; name: string; password: string }): Promise<User | undefined> {
  const user = await store.tx(async (tx) => {
    await takeLock(tx, "setup");
    if ((await countUsers(tx)) > 0) return undefined;
    return createUser(tx, { ...input, role: "admin" });
  });
  if (user)
    await recordAudit(store, {
      actor: user,
      action: "user.bootstrap",
      target: `user:${user.email}`,
      params: { email: user.email, role: "admin" },
      outcome: "ok",
    });
  return user;
}

/** At start-up: with no user at all, create the admin from CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD. */
export async function ensureEnvAdmin(c: Config = config()): Promise<void> {
  const { CONSOLE_ADMIN_EMAIL: email, CONSOLE_ADMIN_PASSWORD: password } = c;
  if (!email || !password) return;
  const user = await claimFirstAdmin(await db(), { email, name: "Administrator", password });
  if (user) log.info("created the first admin from CONSOLE_ADMIN_EMAIL", { email: user.email });
}
