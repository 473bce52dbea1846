import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/server/db";
import { migrations } from "@/server/db/migrations";
import { startPostgresCluster, type PostgresCluster } from "@/test/postgres-cluster";
import { readiness } from "./readiness";
import { drain, resetLifecycleForTests } from "./shutdown";

afterEach(() => resetLifecycleForTests());

describe("readiness", () => {
  it("is ready with a migrated store", async () => {
    const db = await openDb({ file: ":memory:" });
    expect(await readiness(async () => db)).toEqual({ ready: true });
    await db.close();
  });

  it("is not ready while a migration this build knows is not applied", async () => {
    const db = await openDb({ file: ":memory:" });
    const newer = [...migrations, { version: 999, name: "from a newer build", up: "SELECT 1" }];
    expect(await readiness(async () => db, newer)).toMatchObject({ ready: false, reason: "migrations pending", detail: "pending: 999" });
    await db.close();
  });

  it("is not ready once shutdown began", async () => {
    const db = await openDb({ file: ":memory:" });
    await drain(100);
    expect(await readiness(async () => db)).toMatchObject({ ready: false, reason: "shutting down" });
    await db.close();
  });

  it("is not ready when the store cannot be opened", async () => {
    const r = await readiness(() => Promise.reject(new Error("SQLITE_CANTOPEN: unable to open database file")));
    expect(r).toMatchObject({ ready: false, reason: "store unreachable" });
  });
});

describe("readiness on PostgreSQL", () => {
  let cluster: PostgresCluster;
  let db: Db;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    db = await openDb({ url: cluster.url });
  }, 60_000);
  afterAll(async () => {
    await db.close().catch(() => undefined);
    cluster.remove();
  });

  it("fails while the database is down and recovers when it is back", async () => {
    expect(await readiness(async () => db)).toEqual({ ready: true });
    cluster.stop();
    expect(await readiness(async () => db)).toMatchObject({ ready: false, reason: "store unreachable" });
    cluster.start();
    // The pool reconnects by itself: the same store object is ready again.
    expect(await readiness(async () => db)).toEqual({ ready: true });
  }, 60_000);
});
