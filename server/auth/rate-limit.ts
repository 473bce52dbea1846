import "server-only";
import type { Db } from "@/server/db";

// Login throttling kept in the store so it holds across console replicas: failures within 15 minutes lock
// that key for 15 minutes — 5 for one email (guessing one password), 50 for one client address (spraying many
// emails; higher because many people may share an office NAT).
export const LOGIN_MAX_FAILURES = { email: 5, address: 50 } as const;
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;

export async function lockedUntil(db: Db, key: string, now = Date.now()): Promise<number | undefined> {
  const r = await db.get<{ locked_until: number }>("SELECT locked_until FROM login_attempts WHERE key = ?", [key]);
  const until = Number(r?.locked_until ?? 0);
  return until > now ? until : undefined;
}

export async function recordFailure(db: Db, key: string, maxFailures: number, now = Date.now()): Promise<void> {
  await db.tx(async (tx) => {
    const r = await tx.get<{ failures: number; window_start: number }>("SELECT failures, window_start FROM login_attempts WHERE key = ?", [
      key,
    ]);
    const fresh = !r || now - Number(r.window_start) > WINDOW_MS;
    const failures = fresh ? 1 : Number(r.failures) + 1;
    const windowStart = fresh ? now : Number(r.window_start);
    const locked = failures >= maxFailures ? now + LOCK_MS : 0;
    await tx.run(
      `INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
      [key, failures, windowStart, locked],
    );
  });
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.run("DELETE FROM login_attempts WHERE key = ?", [key]);
}
