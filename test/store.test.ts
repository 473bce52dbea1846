import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit, recordAudit } from "@/server/audit/audit";
import { createSession, deleteExpiredSessions, deleteSession, userForSession } from "@/server/auth/sessions";
import { countUsers, createUser, findUserWithHash, updateUser } from "@/server/auth/users";
import pg from "pg";
import { openDb, type Db } from "@/server/db";
import { ConflictError } from "@/server/errors";
import { migrate } from "@/server/db/migrate";
import { migrations } from "@/server/db/migrations";
import { engines, freshPostgres } from "./engines";

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
    const idle = 3_600_000;
    const s = await createSession(db, u.id, 60_000, { now: t0 });
    expect((await userForSession(db, s.token, idle, t0 + 59_999))?.email).toBe("bob@example.com");
    expect(await userForSession(db, s.token, idle, t0 + 60_000)).toBeUndefined();
    const s2 = await createSession(db, u.id, 60_000);
    expect(await userForSession(db, s2.token, idle)).toBeDefined();
    await deleteSession(db, s2.token);
    expect(await userForSession(db, s2.token, idle)).toBeUndefined();
    const s3 = await createSession(db, u.id, 60_000);
    await updateUser(db, u.id, { disabled: true });
    expect(await userForSession(db, s3.token, idle)).toBeUndefined();
    expect(await userForSession(db, "made-up-token", idle)).toBeUndefined();
    // Only bob's lapsed sessions were left (the first expired, s3 was deleted on disable): nothing else to sweep.
    await createSession(db, u.id, 60_000, { now: t0 });
    expect(await deleteExpiredSessions(db, idle, t0 + 60_000)).toBe(1);
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

describe("state store on PostgreSQL when the server ends its connections", () => {
  it("keeps the console running and answers the next query on a new connection (an RDS failover, pg_terminate_backend)", async () => {
    const pgdb = await freshPostgres();
    const db = await openDb({ url: pgdb.url });
    try {
      await Promise.all([db.get("SELECT 1 AS one"), db.get("SELECT 2 AS two")]); // two idle pooled connections
      const admin = new pg.Client({ connectionString: pgdb.url });
      await admin.connect();
      const ended = await admin.query(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      await admin.end();
      expect(ended.rowCount).toBeGreaterThan(0);
      // Without an error listener on the pool the idle connections' errors would end this process (vitest reports
      // them as uncaught). The next query is served.
      expect(await db.get<{ one: number }>("SELECT 1 AS one")).toEqual({ one: 1 });
    } finally {
      await db.close();
      await pgdb.drop();
    }
  });
});
