import "server-only";
import type { Db } from "@/server/db";
import { UserError } from "@/server/actions/errors";
import type { RunInProgressDto } from "@/lib/ops/types";

// Operations and provisioning runs must not fight over one stack: while a run (apply, destroy, resize) is pending or
// running, scale/restart/stop/rollback are refused.

export async function runInProgress(db: Db, env: string): Promise<RunInProgressDto | null> {
  const r = await db.get<{ id: string; kind: string; status: string }>(
    "SELECT id, kind, status FROM runs WHERE env = ? AND status IN ('pending', 'running') ORDER BY created_at DESC LIMIT 1",
    [env],
  );
  return r ? { id: r.id, kind: r.kind, status: r.status } : null;
}

export async function assertNoRunInProgress(db: Db, env: string): Promise<void> {
  const r = await runInProgress(db, env);
  if (r)
    throw new UserError(
      `A ${r.kind} run is ${r.status} on ${env}; wait for it to finish (or cancel it on the Runs tab) before scaling, restarting or rolling back.`,
    );
}
