import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Db, SqlParam } from "./types";

const bind = (params: SqlParam[] = []) => params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));

// better-sqlite3 is synchronous; transactions are serialised with a promise chain so two async callers
// never interleave statements inside one BEGIN…COMMIT.
export function openSqlite(file: string): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  let chain: Promise<unknown> = Promise.resolve();

  const base = {
    kind: "sqlite" as const,
    async all<T>(sql: string, params?: SqlParam[]) {
      return sqlite.prepare(sql).all(...bind(params)) as T[];
    },
    async get<T>(sql: string, params?: SqlParam[]) {
      return sqlite.prepare(sql).get(...bind(params)) as T | undefined;
    },
    async run(sql: string, params?: SqlParam[]) {
      const r = sqlite.prepare(sql).run(...bind(params));
      return { changes: r.changes };
    },
  };

  const db: Db = {
    ...base,
    tx<T>(fn: (inner: Db) => Promise<T>): Promise<T> {
      const next = chain.then(async () => {
        sqlite.exec("BEGIN IMMEDIATE");
        try {
          const inner: Db = { ...base, tx: (f) => f(inner), close: async () => undefined };
          const result = await fn(inner);
          sqlite.exec("COMMIT");
          return result;
        } catch (err) {
          sqlite.exec("ROLLBACK");
          throw err;
        }
      });
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      sqlite.close();
    },
  };
  return db;
}
