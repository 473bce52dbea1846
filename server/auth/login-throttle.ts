import "server-only";
import type { Db } from "@/server/db";

// Login throttling, kept in the store so it holds across console replicas. Failures are keyed so that nobody can
// lock out someone else:
// - per (email, client address): the first FREE_FAILURES are free, then each failure makes the next attempt wait
//   twice as long (1 s, 2 s, 4 s … capped at 15 min) — one password guessed slowly from one place;
// - per client address: a ceiling of ADDRESS_MAX failures in 15 min locks that address for 15 min — one place
//   spraying many emails (high because an office NAT is shared).
// An attacker at address X can slow only X: the admin signing in from Y is never blocked by X's failures.
// Counters change with one UPSERT … RETURNING each (atomic on SQLite and PostgreSQL; never read-then-write).
export const LOGIN_THROTTLE = {
  freeFailures: 3,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  pairWindowMs: 60 * 60_000,
  addressMax: 50,
  addressWindowMs: 15 * 60_000,
  addressLockMs: 15 * 60_000,
} as const;

const pairKey = (email: string, address: string) => `pair:${email.trim().toLowerCase()}|${address}`;
const addressKey = (address: string) => `addr:${address}`;

/** The wait after the n-th failure of one (email, address) pair. */
export function pairDelayMs(failures: number): number {
  const over = failures - LOGIN_THROTTLE.freeFailures;
  if (over <= 0) return 0;
  return Math.min(LOGIN_THROTTLE.maxDelayMs, LOGIN_THROTTLE.firstDelayMs * 2 ** Math.min(over - 1, 30));
}

async function countFailure(db: Db, key: string, windowMs: number, now: number): Promise<number> {
  // In an UPDATE's SET list both engines read the row's old values, so `failures` and `window_start` agree.
  const row = await db.get<{ failures: number }>(
    `INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (?, 1, ?, 0)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN ? - login_attempts.window_start >= ? THEN 1 ELSE login_attempts.failures + 1 END,
       window_start = CASE WHEN ? - login_attempts.window_start >= ? THEN ? ELSE login_attempts.window_start END
     RETURNING failures`,
    [key, now, now, windowMs, now, windowMs, now],
  );
  return Number(row?.failures ?? 1);
}

async function lockUntil(db: Db, key: string, until: number): Promise<void> {
  // Only ever extends a lock: a concurrent, later failure's longer wait wins.
  await db.run("UPDATE login_attempts SET locked_until = ? WHERE key = ? AND locked_until < ?", [until, key, until]);
}

/** Milliseconds until this email may try again from this address (undefined = now). */
export async function loginWaitMs(db: Db, email: string, address: string, now = Date.now()): Promise<number | undefined> {
  const rows = await db.all<{ locked_until: number }>("SELECT locked_until FROM login_attempts WHERE key IN (?, ?)", [
    pairKey(email, address),
    addressKey(address),
  ]);
  const until = Math.max(0, ...rows.map((r) => Number(r.locked_until)));
  return until > now ? until - now : undefined;
}

export async function recordLoginFailure(db: Db, email: string, address: string, now = Date.now()): Promise<void> {
  const pair = pairKey(email, address);
  const delay = pairDelayMs(await countFailure(db, pair, LOGIN_THROTTLE.pairWindowMs, now));
  if (delay > 0) await lockUntil(db, pair, now + delay);
  const addr = addressKey(address);
  if ((await countFailure(db, addr, LOGIN_THROTTLE.addressWindowMs, now)) >= LOGIN_THROTTLE.addressMax)
    await lockUntil(db, addr, now + LOGIN_THROTTLE.addressLockMs);
}

/** A good sign-in clears its own (email, address) count; the address's count is about many emails and stays. */
export async function recordLoginSuccess(db: Db, email: string, address: string): Promise<void> {
  await db.run("DELETE FROM login_attempts WHERE key = ?", [pairKey(email, address)]);
}

/** "Try again in 8 seconds." / "Try again in 15 minutes." */
export function waitMessage(ms: number): string {
  if (ms < 60_000) {
    const s = Math.max(1, Math.ceil(ms / 1000));
    return `Too many failed sign-ins. Try again in ${s} second${s === 1 ? "" : "s"}.`;
  }
  const m = Math.ceil(ms / 60_000);
  return `Too many failed sign-ins. Try again in ${m} minute${m === 1 ? "" : "s"}.`;
}
