import "server-only";
import pg from "pg";
import { log } from "@/server/log";
import type { Db, SqlParam } from "./types";

// int8 (BIGINT, COUNT(*)) as JS numbers: our BIGINTs are epoch milliseconds and counts, far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** `?` → `$1, $2…` (our SQL never has `?` inside string literals). */
export function toPgPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

type Queryable = { query: (sql: string, params?: unknown[]) => Promise<pg.QueryResult> };

function over(q: Queryable, tx: Db["tx"], close: Db["close"]): Db {
  const exec = async (sql: string, params?: SqlParam[]) => q.query(toPgPlaceholders(sql), params ?? []);
  return {
    kind: "postgres",
    async all<T>(sql: string, params?: SqlParam[]) {
      return (await exec(sql, params)).rows as T[];
    },
    async get<T>(sql: string, params?: SqlParam[]) {
      return (await exec(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, params?: SqlParam[]) {
      return { changes: (await exec(sql, params)).rowCount ?? 0 };
    },
    tx,
    close,
  };
}

export function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30_000 });
  // An idle pooled connection that the server ends (an RDS failover or reboot, an administrator's
  // pg_terminate_backend) is reported on the pool; without a listener Node would end the console process. The pool
  // drops that connection and the next query opens a new one.
  pool.on("error", (err) => log.warn("database connection lost; the next query reconnects", { error: err.message }));
  const tx: Db["tx"] = async (fn) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const inner = over(
        client,
        (f) => f(inner),
        async () => undefined,
      );
      const result = await fn(inner);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  return over(pool, tx, () => pool.end());
}
