import { randomUUID } from "node:crypto";
import pg from "pg";
import { openDb, type Db } from "@/server/db";

// The same suite on both engines the console supports: an SQLite file (the default) and PostgreSQL (DATABASE_URL).
// test/global-postgres.ts provides TEST_DATABASE_URL; each run gets a database of its own.
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
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

export const engines: Array<[string, () => Promise<{ db: Db; cleanup: () => Promise<void> }>]> = [
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
