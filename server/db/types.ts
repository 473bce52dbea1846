import "server-only";

/** A parameter bound to a `?` placeholder. Booleans are stored as 0/1, times as epoch milliseconds. */
export type SqlParam = string | number | bigint | null | boolean;

/**
 * The state store, the same on SQLite and PostgreSQL. SQL uses `?` placeholders and the portable subset
 * both engines accept (TEXT, INTEGER, BIGINT; `ON CONFLICT … DO`; `RETURNING` — SQLite ≥ 3.35).
 */
export interface Db {
  readonly kind: "sqlite" | "postgres";
  all<T>(sql: string, params?: SqlParam[]): Promise<T[]>;
  get<T>(sql: string, params?: SqlParam[]): Promise<T | undefined>;
  run(sql: string, params?: SqlParam[]): Promise<{ changes: number }>;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Migration {
  version: number;
  name: string;
  /** Statements separated by `;` at line ends; portable between SQLite and PostgreSQL. */
  up: string;
}
