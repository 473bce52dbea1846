import "server-only";
import { processSingleton } from "@/server/process-singleton";
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

// One store per process (process-singleton.ts): every bundle and dev-mode reload shares one pool.
const store = processSingleton("db", () => ({ current: undefined as Promise<Db> | undefined }));

export function db(): Promise<Db> {
  if (!store.current) {
    const c = config();
    const opened = openDb(c.DATABASE_URL ? { url: c.DATABASE_URL } : { file: path.join(c.CONSOLE_DATA_DIR, "console.sqlite") });
    store.current = opened;
    opened.catch(() => {
      if (store.current === opened) store.current = undefined;
    });
  }
  return store.current;
}
