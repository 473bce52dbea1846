import "server-only";
import type { SessionInfo } from "@/lib/sessions";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import type { User } from "./users";
import { findUserById } from "./users";

// The cookie holds a random 256-bit token; the store keeps only its SHA-256, so a leaked database
// cannot be replayed as sessions. The hash doubles as the session's id on the "Your sessions" page.
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** last_seen_at is written at most this often per session: one UPDATE a minute, not one per request. */
export const TOUCH_INTERVAL_MS = 60_000;

export interface SessionLimits {
  ttlMs: number;
  idleMs: number;
}

export async function createSession(
  db: Db,
  userId: string,
  ttlMs: number,
  opts: { now?: number; clientAddress?: string; userAgent?: string } = {},
): Promise<{ token: string; expiresAt: number }> {
  const now = opts.now ?? Date.now();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + ttlMs;
  await db.run(
    "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, client_address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [hashToken(token), userId, now, expiresAt, now, opts.clientAddress ?? null, opts.userAgent?.slice(0, 300) ?? null],
  );
  return { token, expiresAt };
}

/**
 * The session's user, or undefined when the token is unknown, past its absolute expiry, idle for longer than
 * `idleMs`, or its user is disabled. The user row is read on every request, so a demotion or disabling takes
 * effect on the user's next request.
 */
export async function userForSession(db: Db, token: string, idleMs: number, now = Date.now()): Promise<User | undefined> {
  const id = hashToken(token);
  const row = await db.get<{ user_id: string; expires_at: number; last_seen_at: number }>(
    "SELECT user_id, expires_at, last_seen_at FROM sessions WHERE id_hash = ?",
    [id],
  );
  if (!row) return undefined;
  if (Number(row.expires_at) <= now || Number(row.last_seen_at) + idleMs <= now) {
    await db.run("DELETE FROM sessions WHERE id_hash = ?", [id]);
    return undefined;
  }
  const user = await findUserById(db, row.user_id);
  if (!user || user.disabled) return undefined;
  if (now - Number(row.last_seen_at) >= TOUCH_INTERVAL_MS)
    await db.run("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?", [now, id, now]);
  return user;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.run("DELETE FROM sessions WHERE id_hash = ?", [hashToken(token)]);
}

/** Revokes one of this user's sessions by its id (the token hash); false when it is not theirs or already gone. */
export async function revokeSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  return (await db.run("DELETE FROM sessions WHERE id_hash = ? AND user_id = ?", [sessionId, userId])).changes > 0;
}

/** Signs a user out everywhere; returns how many sessions ended. */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  return (await db.run("DELETE FROM sessions WHERE user_id = ?", [userId])).changes;
}

export async function listSessions(db: Db, userId: string, idleMs: number, now = Date.now()): Promise<SessionInfo[]> {
  const rows = await db.all<{
    id_hash: string;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
    client_address: string | null;
    user_agent: string | null;
  }>(
    `SELECT id_hash, created_at, last_seen_at, expires_at, client_address, user_agent FROM sessions
     WHERE user_id = ? AND expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC`,
    [userId, now, now - idleMs],
  );
  return rows.map((r) => ({
    id: r.id_hash,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    clientAddress: r.client_address ?? undefined,
    userAgent: r.user_agent ?? undefined,
  }));
}

export async function deleteExpiredSessions(db: Db, idleMs: number, now = Date.now()): Promise<number> {
  return (await db.run("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?", [now, now - idleMs])).changes;
}
