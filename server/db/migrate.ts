import "server-only";
import { takeLock } from "./locks";
import type { Db, Migration } from "./types";

const statements = (sql: string) =>
  sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Applies pending migrations in order, each in its own transaction. On PostgreSQL an advisory lock makes
 * concurrent console replicas wait for the one that migrates.
 */
export async function migrate(db: Db, list: Migration[]): Promise<number[]> {
  await db.run(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
  );
  return db.tx(async (tx) => {
    await takeLock(tx, "migrate");
    const done = new Set((await tx.all<{ version: number }>("SELECT version FROM schema_migrations")).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of [...list].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const s of statements(m.up)) await tx.run(s);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [m.version, m.name, Date.now()]);
      applied.push(m.version);
    }
    return applied;
  });
}
