import "server-only";
import type { Db } from "./types";

// Named locks for the few decisions that must be made by one writer at a time across console replicas.
// PostgreSQL: a transaction-scoped advisory lock (released at COMMIT/ROLLBACK). SQLite: Db.tx already runs
// BEGIN IMMEDIATE, which takes the database's write lock for the whole transaction (other processes wait on
// busy_timeout), so there is nothing more to take.
export const LOCKS = {
  migrate: 4242001,
  setup: 4242002,
  admins: 4242003,
} as const;

/** Call first inside `db.tx(…)`. */
export async function takeLock(tx: Db, lock: keyof typeof LOCKS): Promise<void> {
  if (tx.kind === "postgres") await tx.run("SELECT pg_advisory_xact_lock(?)", [LOCKS[lock]]);
}
