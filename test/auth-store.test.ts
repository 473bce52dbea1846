import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimFirstAdmin } from "@/server/auth/bootstrap";
import { LOGIN_THROTTLE, loginWaitMs, pairDelayMs, recordLoginFailure, recordLoginSuccess } from "@/server/auth/login-throttle";
import { createSession, deleteUserSessions, listSessions, revokeSession, TOUCH_INTERVAL_MS, userForSession } from "@/server/auth/sessions";
import { countActiveAdmins, createUser, LastAdminError, updateUser } from "@/server/auth/users";
import { openDb, type Db } from "@/server/db";
import { freshPostgres } from "./engines";

// Sign-in and session rules on both engines, including races. On PostgreSQL each race uses two separate pools, as two
// console replicas would. SQLite serves one console process (several replicas need PostgreSQL): its races are
// concurrent requests in that process, on one handle.
type Pair = { a: Db; b: Db; cleanup: () => Promise<void> };
const engines: Array<[string, () => Promise<Pair>]> = [
  [
    "sqlite",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pec-auth-"));
      const file = path.join(dir, "console.sqlite");
      const a = await openDb({ file });
      return { a, b: a, cleanup: async () => (await a.close(), fs.rmSync(dir, { recursive: true, force: true })) };
    },
  ],
  [
    "postgres",
    async () => {
      const pg = await freshPostgres();
      const a = await openDb({ url: pg.url });
      const b = await openDb({ url: pg.url });
      return { a, b, cleanup: async () => (await a.close(), await b.close(), await pg.drop()) };
    },
  ],
];

describe.each(engines)("sign-in and sessions on %s", (_engine, open) => {
  let a: Db;
  let b: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ a, b, cleanup } = await open());
  });
  afterAll(async () => cleanup());

  it("concurrent first-run setups create exactly one admin", async () => {
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        claimFirstAdmin(i % 2 ? a : b, { email: `first${i}@example.com`, name: `First ${i}`, password: "first-admin-password" }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await countActiveAdmins(a)).toBe(1);
    expect(await claimFirstAdmin(a, { email: "late@example.com", name: "Late", password: "late-admin-password" })).toBeUndefined();
  });

  it("an attacker failing from address X cannot lock out the admin signing in from address Y", async () => {
    const now = 10_000_000;
    for (let i = 0; i < LOGIN_THROTTLE.addressMax + 5; i++) await recordLoginFailure(a, "admin@example.com", "198.51.100.66", now + i);
    expect(await loginWaitMs(a, "admin@example.com", "198.51.100.66", now + 100)).toBeGreaterThan(14 * 60_000);
    // The attacker's address is stopped for every email, not only the one it guessed.
    expect(await loginWaitMs(a, "someone@example.com", "198.51.100.66", now + 100)).toBeGreaterThan(14 * 60_000);
    expect(await loginWaitMs(b, "admin@example.com", "203.0.113.10", now + 100)).toBeUndefined();
  });

  it("failures of one email from one address earn growing waits; a success clears them", async () => {
    const now = 20_000_000;
    const wait = async (t: number) => loginWaitMs(a, "ann@example.com", "192.0.2.1", t);
    for (let i = 0; i < LOGIN_THROTTLE.freeFailures; i++) await recordLoginFailure(a, "ann@example.com", "192.0.2.1", now);
    expect(await wait(now)).toBeUndefined();
    await recordLoginFailure(a, "ann@example.com", "192.0.2.1", now);
    expect(await wait(now)).toBe(1_000);
    await recordLoginFailure(a, "ann@example.com", "192.0.2.1", now + 1_000);
    expect(await wait(now + 1_000)).toBe(2_000);
    expect(pairDelayMs(30)).toBe(LOGIN_THROTTLE.maxDelayMs);
    await recordLoginSuccess(a, "ANN@example.com", "192.0.2.1");
    expect(await wait(now + 1_000)).toBeUndefined();
  });

  it("counts concurrent failures from two replicas without losing any", async () => {
    const now = 30_000_000;
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordLoginFailure(i % 2 ? a : b, "race@example.com", "192.0.2.99", now)));
    const rows = await a.all<{ key: string; failures: number }>("SELECT key, failures FROM login_attempts WHERE key LIKE ? ORDER BY key", [
      "%192.0.2.99",
    ]);
    expect(rows.map((r) => [r.key, Number(r.failures)])).toEqual([
      ["addr:192.0.2.99", 20],
      ["pair:race@example.com|192.0.2.99", 20],
    ]);
  });

  it("two admins demoting each other at the same moment leave one admin", async () => {
    const x = await createUser(a, { email: "x-admin@example.com", name: "X", password: "x-admin-password", role: "admin" });
    const [first] = await a.all<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND id <> ?", [x.id]);
    const results = await Promise.allSettled([updateUser(a, x.id, { role: "viewer" }), updateUser(b, first!.id, { role: "operator" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(LastAdminError);
    expect(await countActiveAdmins(a)).toBe(1);
  });

  it("sessions end after the idle timeout, and last_seen_at is written at most once a minute", async () => {
    const u = await createUser(a, { email: "idle@example.com", name: "Idle", password: "idle-password-12", role: "viewer" });
    const t0 = 40_000_000;
    const idle = 5 * 60_000;
    const s = await createSession(a, u.id, 3_600_000, { now: t0, clientAddress: "192.0.2.5", userAgent: "Firefox" });
    expect((await userForSession(a, s.token, idle, t0 + 30_000))?.id).toBe(u.id);
    const seen = async () => Number((await a.get<{ l: number }>("SELECT last_seen_at AS l FROM sessions WHERE user_id = ?", [u.id]))?.l);
    expect(await seen()).toBe(t0);
    expect(await userForSession(a, s.token, idle, t0 + TOUCH_INTERVAL_MS)).toBeDefined();
    expect(await seen()).toBe(t0 + TOUCH_INTERVAL_MS);
    // Idle for exactly the timeout after the last request: gone, and stays gone.
    expect(await userForSession(a, s.token, idle, t0 + TOUCH_INTERVAL_MS + idle)).toBeUndefined();
    expect(await userForSession(a, s.token, idle, t0 + TOUCH_INTERVAL_MS + 1_000)).toBeUndefined();
  });

  it("a demotion takes effect on the session's next request; sign-out everywhere ends them all", async () => {
    const u = await createUser(a, { email: "olive@example.com", name: "Olive", password: "olive-password-1", role: "operator" });
    const s1 = await createSession(a, u.id, 3_600_000, { clientAddress: "192.0.2.7" });
    const s2 = await createSession(b, u.id, 3_600_000, { clientAddress: "192.0.2.8" });
    expect((await userForSession(b, s1.token, 3_600_000))?.role).toBe("operator");
    await updateUser(a, u.id, { role: "viewer" });
    expect((await userForSession(b, s1.token, 3_600_000))?.role).toBe("viewer");
    const listed = await listSessions(a, u.id, 3_600_000);
    expect(listed.map((x) => x.clientAddress).sort()).toEqual(["192.0.2.7", "192.0.2.8"]);
    expect(await revokeSession(a, "someone-else", listed[0]!.id)).toBe(false);
    expect(await deleteUserSessions(a, u.id)).toBe(2);
    expect(await userForSession(b, s1.token, 3_600_000)).toBeUndefined();
    expect(await userForSession(b, s2.token, 3_600_000)).toBeUndefined();
  });
});
