import "server-only";
import { redactCredentials } from "@/lib/redact";
import type { Db, SqlParam } from "@/server/db";
import type { Outputs } from "../types";
import type { RunRow, StepRow } from "./store";
import type { RunStatus, StepStatus } from "@/lib/runs";

// What the executor persists while a run executes, one method per transition, so execute.ts speaks steps and
// statuses rather than SQL. Texts lose any credentials in them (lib/redact.ts: an AWS or Prefect error may quote a
// connection URL) and are cut to the columns' display limits (detail 500, error 2,000 characters).

export interface RunProgress {
  row(): Promise<RunRow | undefined>;
  steps(): Promise<StepRow[]>;
  started(): Promise<void>;
  /** Steps an earlier process left running, failed, skipped or cancelled start again (they are idempotent). */
  resetUnfinishedSteps(): Promise<void>;
  cancelRequested(): Promise<boolean>;
  stepDetail(key: string, detail: string): Promise<void>;
  stepStarted(key: string, attempt: number): Promise<void>;
  stepDone(key: string, outputs: Outputs, detail: string): Promise<void>;
  stepFailed(key: string, error: string): Promise<void>;
  /** A step the run never finished: skipped (a dependency failed), cancelled, or pending again (handed back). */
  stepSettled(key: string, status: Extract<StepStatus, "skipped" | "cancelled" | "pending">): Promise<void>;
  finished(status: RunStatus, error: string | null): Promise<void>;
}

export function runProgress(db: Db, id: string): RunProgress {
  const write = (sql: string, params: SqlParam[]) => db.run(sql, params).then(() => {});
  return {
    row: () => db.get<RunRow>("SELECT * FROM runs WHERE id = ?", [id]),
    steps: () => db.all<StepRow>("SELECT * FROM run_steps WHERE run_id = ?", [id]),
    started: () => write("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ?", [Date.now(), id]),
    resetUnfinishedSteps: () =>
      write(
        "UPDATE run_steps SET status = 'pending', error = NULL WHERE run_id = ? AND status IN ('running', 'failed', 'skipped', 'cancelled')",
        [id],
      ),
    cancelRequested: async () =>
      Number((await db.get<{ cancel_requested: number }>("SELECT cancel_requested FROM runs WHERE id = ?", [id]))?.cancel_requested) === 1,
    stepDetail: (key, detail) =>
      write("UPDATE run_steps SET detail = ? WHERE run_id = ? AND step_key = ?", [redactCredentials(detail).slice(0, 500), id, key]),
    stepStarted: (key, attempt) =>
      write(
        "UPDATE run_steps SET status = 'running', attempts = ?, started_at = COALESCE(started_at, ?), error = NULL WHERE run_id = ? AND step_key = ?",
        [attempt, Date.now(), id, key],
      ),
    stepDone: (key, outputs, detail) =>
      write("UPDATE run_steps SET status = 'done', finished_at = ?, outputs = ?, detail = ? WHERE run_id = ? AND step_key = ?", [
        Date.now(),
        JSON.stringify(outputs),
        detail,
        id,
        key,
      ]),
    stepFailed: (key, error) =>
      write("UPDATE run_steps SET status = 'failed', finished_at = ?, error = ? WHERE run_id = ? AND step_key = ?", [
        Date.now(),
        redactCredentials(error).slice(0, 2000),
        id,
        key,
      ]),
    stepSettled: (key, status) =>
      write("UPDATE run_steps SET status = ? WHERE run_id = ? AND step_key = ? AND status <> 'done'", [status, id, key]),
    finished: (status, error) =>
      write("UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?", [
        status,
        Date.now(),
        error === null ? null : redactCredentials(error),
        id,
      ]),
  };
}

/** Whether an apply of the stack succeeded before the given run: a later failure then leaves it "degraded", not "failed". */
export async function appliedCleanlyBefore(db: Db, run: Pick<RunRow, "env" | "created_at">): Promise<boolean> {
  const r = await db.get<{ id: string }>(
    "SELECT id FROM runs WHERE env = ? AND kind = 'apply' AND status = 'succeeded' AND created_at < ?",
    [run.env, Number(run.created_at)],
  );
  return Boolean(r);
}
