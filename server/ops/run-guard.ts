import "server-only";
import type { Db } from "@/server/db";
import { ConflictError } from "@/server/errors";
import { activeRun } from "@/server/stack/runs";
import type { RunInProgressDto } from "@/lib/ops/types";

// Operations and provisioning runs must not fight over one stack: while a run (apply, destroy, resize) is active —
// queued or running, lib/runs.ts ACTIVE_RUN_STATES — scale/restart/stop/rollback are refused.

export async function runInProgress(db: Db, env: string): Promise<RunInProgressDto | null> {
  const r = await activeRun(db, env);
  return r ? { id: r.id, kind: r.kind, status: r.status } : null;
}

export async function assertNoRunInProgress(db: Db, env: string): Promise<void> {
  const r = await runInProgress(db, env);
  if (r)
    throw new ConflictError(
      `${r.kind === "apply" ? "An" : "A"} ${r.kind} run is ${r.status} on ${env}; wait for it to finish (or cancel it on the Runs tab) before scaling, restarting or rolling back.`,
    );
}
