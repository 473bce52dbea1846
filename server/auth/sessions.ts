import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import type { User } from "./users";
import { findUserById } from "./users";

// The cookie holds a random 256-bit token; the store keeps only its SHA-256, so a leaked database
// cannot be replayed as sessions.
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(
  db: Db,
  userId: string,
  ttlMs: number,
  now = Date.now(),
): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = now + ttlMs;
  await db.run("INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)", [
    hashToken(token),
    userId,
    now,
    expiresAt,
    now,
  ]);
  return { token, expiresAt };
}

/** The session's user, or undefined when the token is unknown, expired, or its user is disabled. */
export async function userForSession(db: Db, token: string, now = Date.now()): Promise<User | undefined> {
  const row = await db.get<{ user_id: string; expires_at: number }>("SELECT user_id, expires_at FROM sessions WHERE id_hash = ?", [
    hashToken(token),
  ]);
  if (!row) return undefined;
  if (Number(row.expires_at) <= now) {
    await db.run("DELETE FROM sessions WHERE id_hash = ?", [hashToken(token)]);
    return undefined;
  }
  const user = await findUserById(db, row.user_id);
  if (!user || user.disabled) return undefined;
  return user;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.run("DELETE FROM sessions WHERE id_hash = ?", [hashToken(token)]);
}

export async function deleteExpiredSessions(db: Db, now = Date.now()): Promise<number> {
  return (await db.run("DELETE FROM sessions WHERE expires_at <= ?", [now])).changes;
}
