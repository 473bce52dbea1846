import "server-only";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { config } from "@/server/config";
import { db } from "@/server/db";
import { hasRole, type Role } from "@/lib/roles";
import { createSession, deleteSession, userForSession } from "./sessions";
import type { User } from "./users";

export const SESSION_COOKIE = "pec_session";

/** The signed-in user for this request (memoised per request), or undefined. */
export const currentUser = cache(async (): Promise<User | undefined> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return undefined;
  return userForSession(await db(), token);
});

/** For pages: anonymous → /login. */
export async function requireUser(): Promise<User> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

/** For pages: anonymous → /login, too weak a role → the 403 page. */
export async function requireRole(role: Role): Promise<User> {
  const user = await requireUser();
  if (!hasRole(user.role, role)) forbidden();
  return user;
}

async function secureCookies(): Promise<boolean> {
  const setting = config().CONSOLE_SECURE_COOKIES;
  if (setting) return setting === "true";
  const h = await headers();
  return h.get("x-forwarded-proto") === "https";
}

export async function startSession(userId: string): Promise<void> {
  const ttl = config().CONSOLE_SESSION_TTL_HOURS * 3_600_000;
  const { token, expiresAt } = await createSession(await db(), userId, ttl);
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await secureCookies(),
    path: "/",
    expires: new Date(expiresAt),
  });
}

export async function endSession(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(await db(), token);
  jar.delete(SESSION_COOKIE);
}

/** For route handlers: the user, or a Response to return (401 anonymous / 403 too weak a role). */
export async function routeUser(role: Role = "viewer"): Promise<User | Response> {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in to use the console." }, { status: 401 });
  if (!hasRole(user.role, role)) return Response.json({ error: `This needs the ${role} role.` }, { status: 403 });
  return user;
}
