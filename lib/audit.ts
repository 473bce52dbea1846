// Isomorphic: one row of the audit log as the audit page shows it (server/audit/audit.ts writes and reads them).

export type AuditOutcome = "ok" | "error" | "denied";

export interface AuditEvent {
  id: string;
  at: number;
  actorEmail: string;
  action: string;
  target: string;
  params: Record<string, unknown>;
  outcome: AuditOutcome;
  message: string | null;
}
