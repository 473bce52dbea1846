import "server-only";
import { db as consoleDb, type Db } from "@/server/db";
import { migrations as allMigrations } from "@/server/db/migrations";
import type { Migration } from "@/server/db/types";
import { isDraining } from "./shutdown";

// Readiness (GET /api/readyz, the load balancer's health check): this process should get traffic only while its
// store answers, every migration it was built with is applied, and it is not shutting down. Liveness
// (GET /api/healthz) is only "the process answers": a store outage must not make ECS kill every replica.

export type NotReadyReason = "shutting down" | "store unreachable" | "migrations pending";
export type Readiness = { ready: true } | { ready: false; reason: NotReadyReason; detail?: string };

/** An unreachable PostgreSQL can leave a query hanging; a readiness check answers within this. */
const CHECK_TIMEOUT_MS = 3_000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function readiness(
  open: () => Promise<Db> = consoleDb,
  migrations: Migration[] = allMigrations,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<Readiness> {
  if (isDraining()) return { ready: false, reason: "shutting down" };
  let applied: Set<number>;
  try {
    const store = await within(open(), timeoutMs);
    const rows = await within(store.all<{ version: number }>("SELECT version FROM schema_migrations"), timeoutMs);
    applied = new Set(rows.map((r) => Number(r.version)));
  } catch (err) {
    return { ready: false, reason: "store unreachable", detail: err instanceof Error ? err.message : String(err) };
  }
  const pending = migrations.filter((m) => !applied.has(m.version)).map((m) => m.version);
  return pending.length ? { ready: false, reason: "migrations pending", detail: `pending: ${pending.join(", ")}` } : { ready: true };
}
