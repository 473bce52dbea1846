import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { ACTIVE_STATUS_SQL } from "./store";

// The lease (owner id + expiry, renewed while executing) makes exactly one process execute a run, also with several
// replicas on one PostgreSQL. A process that dies stops renewing; once the lease expires another process resumes it.

/** The process's identity for leases. */
export const OWNER = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** Takes (or renews) the lease; false when another live process holds it or the run is no longer active. */
export async function takeLease(db: Db, id: string, leaseMs: number, now = Date.now()): Promise<boolean> {
  const { changes } = await db.run(
    `UPDATE runs SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND ${ACTIVE_STATUS_SQL} AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ?)`,
    [OWNER, now + leaseMs, id, OWNER, now],
  );
  return changes === 1;
}

export async function releaseLease(db: Db, id: string): Promise<void> {
  await db.run("UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?", [id, OWNER]);
}

/** Whether this process still holds the lease (a lease lost to another process is not a cancel). */
export async function leaseState(db: Db, id: string): Promise<{ mine: boolean; cancelRequested: boolean }> {
  const r = await db.get<{ lease_owner: string | null; cancel_requested: number }>(
    "SELECT lease_owner, cancel_requested FROM runs WHERE id = ?",
    [id],
  );
  return { mine: r?.lease_owner === OWNER, cancelRequested: Number(r?.cancel_requested) === 1 };
}
