import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit, recordAudit } from "@/server/audit/audit";
import { clearFailures, lockedUntil, recordFailure } from "@/server/auth/rate-limit";
import { createSession, deleteExpiredSessions, deleteSession, userForSession } from "@/server/auth/sessions";
import { countUsers, createUser, findUserWithHash, updateUser } from "@/server/auth/users";
import { openDb, type Db } from "@/server/db";
import { ConflictError } from "@/server/errors";
import { migrate } from "@/server/db/migrate";
import { migrations } from "@/server/db/migrations";

// The same suite on both engines the console supports: an SQLite file (the default) and PostgreSQL (DATABASE_URL).
// test/global-postgres.ts provides TEST_DATABASE_URL; each run gets a database of its own.
async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("TEST_DATABASE_URL is not set: test/global-postgres.ts should have started PostgreSQL");
  const name = `store_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

const engines: Array<[string, () => Promise<{ db: Db; cleanup: () => Promise<void> }>]> = [
  [
    "sqlite",
    async () => {
      const db = await openDb({ file: ":memory:" });
      return { db, cleanup: () => db.close() };
    },
  ],
  [
    "postgres",
    async () => {
      const pgdb = await freshPostgres();
      const db = await openDb({ url: pgdb.url });
      return { db, cleanup: async () => (await db.close(), await pgdb.drop()) };
    },
  ],
];

describe.each(engines)("state store on %s", (engine, open) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await open());
  });
  afterAll(async () => cleanup());

  it("runs the migrations once: a second run applies nothing", async () => {
    expect(db.kind).toBe(engine);
    expect(await migrate(db, migrations)).toEqual([]);
    const v = await db.all<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(v.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));
  });

  it("creates users with normalised unique emails and hashed passwords", async () => {
    const u = await createUser(db, { email: " Ann@Example.com ", name: "Ann", password: "ann-password-123", role: "operator" });
    expect(u.email).toBe("ann@example.com");
    await expect(
      createUser(db, { email: "ANN@example.com", name: "Ann 2", password: "x".repeat(12), role: "viewer" }),
    ).rejects.toBeInstanceOf(ConflictError);
    const found = await findUserWithHash(db, "ann@example.com");
    expect(found?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await countUsers(db)).toBe(1);
  });

  it("sessions: valid until expiry, gone after sign-out, refused for disabled users", async () => {
    const u = await createUser(db, { email: "bob@example.com", name: "Bob", password: "bob-password-123", role: "viewer" });
    const t0 = 1_000_000;
    const s = await createSession(db, u.id, 60_000, t0);
    expect((await userForSession(db, s.token, t0 + 59_999))?.email).toBe("bob@example.com");
    expect(await userForSession(db, s.token, t0 + 60_000)).toBeUndefined();
    const s2 = await createSession(db, u.id, 60_000);
    expect(await userForSession(db, s2.token)).toBeDefined();
    await deleteSession(db, s2.token);
    expect(await userForSession(db, s2.token)).toBeUndefined();
    const s3 = await createSession(db, u.id, 60_000);
    await updateUser(db, u.id, { disabled: true });
    expect(await userForSession(db, s3.token)).toBeUndefined();
    expect(await userForSession(db, "made-up-token")).toBeUndefined();
    expect(await deleteExpiredSessions(db, Date.now() + 10 * 60_000)).toBeGreaterThanOrEqual(0);
  });

  it("stores only a hash of the session token", async () => {
    const u = await createUser(db, { email: "cy@example.com", name: "Cy", password: "cy-password-1234", role: "viewer" });
    const s = await createSession(db, u.id, 60_000);
    const rows = await db.all<{ id_hash: string }>("SELECT id_hash FROM sessions WHERE user_id = ?", [u.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).not.toContain(s.token);
  });

  it("audit rows redact secrets and filter by action, outcome and text", async () => {
    await recordAudit(
      db,
      {
        actor: { email: "ann@example.com" },
        action: "user.create",
        target: "user:dan@example.com",
        params: { email: "dan@example.com", password: "hunter2-hunter2" },
        outcome: "ok",
      },
      10,
    );
    await recordAudit(
      db,
      {
        actor: { email: "ann@example.com" },
        action: "service.scale",
        target: "stack:production/prefect-worker",
        params: { desired: 3 },
        outcome: "error",
        message: "denied by AWS",
      },
      20,
    );
    const all = await listAudit(db);
    expect(all.map((e) => e.action)).toEqual(["service.scale", "user.create"]);
    expect(JSON.stringify(all)).not.toContain("hunter2");
    expect(all[1]!.params).toEqual({ email: "dan@example.com", password: "[redacted]" });
    expect((await listAudit(db, { outcome: "error" })).map((e) => e.target)).toEqual(["stack:production/prefect-worker"]);
    expect((await listAudit(db, { q: "DAN@" })).map((e) => e.action)).toEqual(["user.create"]);
  });

  it("rate limiting locks a key after the maximum failures and clears on success", async () => {
    const now = 5_000_000;
    for (let i = 0; i < 4; i++) await recordFailure(db, "email:eve@example.com", 5, now + i);
    expect(await lockedUntil(db, "email:eve@example.com", now + 10)).toBeUndefined();
    await recordFailure(db, "email:eve@example.com", 5, now + 10);
    expect(await lockedUntil(db, "email:eve@example.com", now + 11)).toBe(now + 10 + 15 * 60_000);
    await clearFailures(db, "email:eve@example.com");
    expect(await lockedUntil(db, "email:eve@example.com", now + 12)).toBeUndefined();
  });

  it("rolls a transaction back when it throws", async () => {
    await expect(
      db.tx(async (tx) => {
        await tx.run("INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)", ["tx-test", 1, 0, 0]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.get("SELECT key FROM login_attempts WHERE key = ?", ["tx-test"])).toBeUndefined();
  });
});
