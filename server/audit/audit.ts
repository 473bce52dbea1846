import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, SqlParam } from "@/server/db";
import { redact } from "@/server/log";
import type { AuditEvent, AuditOutcome } from "@/lib/audit";

export interface AuditInput {
  actor: { id?: string; email: string };
  action: string;
  target: string;
  params?: unknown;
  outcome: AuditOutcome;
  message?: string;
}

/** Writes one audit row. Parameters pass through `redact`, so password/secret/token fields never land in the store. */
export async function recordAudit(db: Db, e: AuditInput, now = Date.now()): Promise<void> {
  await db.run(
    "INSERT INTO audit_events (id, at, actor_id, actor_email, action, target, params, outcome, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      randomUUID(),
      now,
      e.actor.id ?? null,
      e.actor.email,
      e.action,
      e.target,
      JSON.stringify(redact(e.params ?? {})),
      e.outcome,
      e.message?.slice(0, 2000) ?? null,
    ],
  );
}

export interface AuditFilter {
  q?: string;
  action?: string;
  outcome?: AuditOutcome;
  target?: string;
  before?: number;
  limit?: number;
}

interface Row {
  id: string;
  at: number;
  actor_email: string;
  action: string;
  target: string;
  params: string;
  outcome: AuditOutcome;
  message: string | null;
}

export async function listAudit(db: Db, f: AuditFilter = {}): Promise<AuditEvent[]> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  const add = (clause: string, value: SqlParam | undefined) => {
    if (value === undefined || value === "") return;
    where.push(clause);
    params.push(value);
  };
  add("action = ?", f.action);
  add("outcome = ?", f.outcome);
  add("target = ?", f.target);
  add("at < ?", f.before);
  if (f.q) {
    where.push("(LOWER(actor_email) LIKE ? OR LOWER(action) LIKE ? OR LOWER(target) LIKE ?)");
    const like = `%${f.q.toLowerCase()}%`;
    params.push(like, like, like);
  }
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 500);
  const rows = await db.all<Row>(
    `SELECT id, at, actor_email, action, target, params, outcome, message FROM audit_events ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY at DESC, id DESC LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    at: Number(r.at),
    actorEmail: r.actor_email,
    action: r.action,
    target: r.target,
    params: JSON.parse(r.params) as Record<string, unknown>,
    outcome: r.outcome,
    message: r.message,
  }));
}

export async function distinctAuditActions(db: Db): Promise<string[]> {
  return (await db.all<{ action: string }>("SELECT DISTINCT action FROM audit_events ORDER BY action")).map((r) => r.action);
}
