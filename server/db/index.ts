import "server-only";
import path from "node:path";
import { config } from "@/server/config";
import { migrate } from "./migrate";
import { migrations } from "./migrations";
import { openPostgres } from "./postgres";
import { openSqlite } from "./sqlite";
import type { Db } from "./types";

export type { Db, SqlParam } from "./types";

/** Opens a store: PostgreSQL for a postgres:// URL, else an SQLite file (or ":memory:"). Migrations run first. */
export async function openDb(target: { url?: string; file?: string }): Promise<Db> {
  const db = target.url ? openPostgres(target.url) : openSqlite(target.file ?? ":memory:");
  await migrate(db, migrations);
  return db;
}

// One store per process. Kept on globalThis so Next's dev-mode module reloads don't open a second one.
const g = globalThis as typeof globalThis & { __pecDb?: Promise<Db> };

export function db(): Promise<Db> {
  if (!g.__pecDb) {
    const c = config();
    g.__pecDb = openDb(c.DATABASE_URL ? { url: c.DATABASE_URL } : { file: path.join(c.CONSOLE_DATA_DIR, "console.sqlite") });
    g.__pecDb.catch(() => {
      g.__pecDb = undefined;
    });
  }
  return g.__pecDb;
}
