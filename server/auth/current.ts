import "server-only";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { config } from "@/server/config";
import { db } from "@/server/db";
import { hasRole, type Role } from "@/lib/roles";
import { clientAddress } from "./client-address";
import { createSession, deleteExpiredSessions, deleteSession, hashToken, userForSession } from "./sessions";
import type { User } from "./users";

export const SESSION_COOKIE = "pec_session";

const limits = () => ({
  ttlMs: config().CONSOLE_SESSION_TTL_HOURS * 3_600_000,
  idleMs: config().CONSOLE_SESSION_IDLE_MINUTES * 60_000,
});

/** The signed-in user for this request (memoised per request), or undefined. */
export const currentUser = cache(async (): Promise<User | undefined> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return undefined;
  return userForSession(await db(), token, limits().idleMs);
});

/** The id of this request's session (its token hash), to mark "this browser" on the sessions page. */
export async function currentSessionId(): Promise<string | undefined> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? hashToken(token) : undefined;
}

/** The client's address as the console trusts it (see client-address.ts). */
export async function requestClientAddress(): Promise<string> {
  return clientAddress(await headers(), config().CONSOLE_TRUSTED_PROXY_HOPS);
}

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

/** Secure cookies: an explicit setting wins; else on in production and behind HTTPS, off on a plain-HTTP dev server. */
export async function secureCookies(): Promise<boolean> {
  const c = config();
  if (c.CONSOLE_SECURE_COOKIES) return c.CONSOLE_SECURE_COOKIES === "true";
  if (c.NODE_ENV === "production") return true;
  return (await headers()).get("x-forwarded-proto") === "https";
}

/**
 * Signs the browser in with a new session id: the session it had before (if any) is revoked, so a token planted
 * before sign-in (session fixation) is worth nothing after it.
 */
export async function startSession(userId: string): Promise<void> {
  const store = await db();
  const jar = await cookies();
  const previous = jar.get(SESSION_COOKIE)?.value;
  if (previous) await deleteSession(store, previous);
  const { ttlMs, idleMs } = limits();
  await deleteExpiredSessions(store, idleMs);
  const { token, expiresAt } = await createSession(store, userId, ttlMs, {
    clientAddress: await requestClientAddress(),
    userAgent: (await headers()).get("user-agent") ?? undefined,
  });
  jar.set(SESSION_COOKIE, token, {
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
