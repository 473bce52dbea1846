import "server-only";
import { randomUUID } from "node:crypto";
import { stackUrls } from "@/lib/stack-names";
import { stackSpecSchema, type StackSpec } from "@/lib/stack-spec";
import type { Db } from "@/server/db";
import { ConflictError } from "@/server/errors";
import { getStack, upsertStack } from "../registry";
import type { Plan } from "@/lib/plan";
import type { Outputs } from "../types";
import {
  ACTIVE_RUN_STATES,
  type ActiveRunStatus,
  type RunKind,
  type RunStatus,
  type RunSummary,
  type RunView,
  type StepStatus,
} from "@/lib/runs";

// The `runs` and `run_steps` rows: a run (apply or destroy) is a row in `runs` plus one row per resource in
// `run_steps`. One active run per stack: checked here for a clear message, and enforced by a partial unique index
// (migration 003) when two requests race.

/** `status IN ('queued', 'running')`, written once from ACTIVE_RUN_STATES (constants, not user input). */
export const ACTIVE_STATUS_SQL = `status IN (${ACTIVE_RUN_STATES.map((s) => `'${s}'`).join(", ")})`;

export class ActiveRunError extends ConflictError {
  constructor(
    readonly runId: string | undefined,
    env: string,
  ) {
    super(
      `Another run is already in progress for ${env}${runId ? ` (run ${runId.slice(0, 8)})` : ""}. Wait for it to finish or cancel it, then try again.`,
    );
    this.name = "ActiveRunError";
  }
}

export interface RunRow {
  id: string;
  env: string;
  kind: RunKind;
  status: RunStatus;
  plan: string;
  spec: string;
  created_by: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  cancel_requested: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  error: string | null;
}

export interface StepRow {
  run_id: string;
  step_key: string;
  kind: string;
  name: string;
  action: string;
  status: StepStatus;
  depends_on: string;
  attempts: number;
  started_at: number | null;
  finished_at: number | null;
  detail: string | null;
  error: string | null;
  outputs: string | null;
}

const num = (v: number | null) => (v === null || v === undefined ? null : Number(v));

/** The stack's queued or running run, if any. */
export async function activeRun(db: Db, env: string): Promise<{ id: string; kind: RunKind; status: ActiveRunStatus } | undefined> {
  return db.get<{ id: string; kind: RunKind; status: ActiveRunStatus }>(
    `SELECT id, kind, status FROM runs WHERE env = ? AND ${ACTIVE_STATUS_SQL} ORDER BY created_at DESC`,
    [env],
  );
}

/** Active runs nobody executes: the owner died (lease expired) or never took it. */
export async function orphanedRunIds(db: Db, now = Date.now()): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM runs WHERE ${ACTIVE_STATUS_SQL} AND (lease_expires_at IS NULL OR lease_expires_at < ?)`,
    [now],
  );
  return rows.map((r) => r.id);
}

/**
 * Stores a new run with one step per plan item. Refused (ActiveRunError) while another run of the stack is active —
 * checked first for a clear message, and guaranteed by the unique index when two requests race.
 */
export async function createRun(
  db: Db,
  input: { spec: StackSpec; plan: Plan; kind: RunKind; createdBy: string; adopted?: boolean },
): Promise<string> {
  const id = randomUUID();
  const now = Date.now();
  const spec = stackSpecSchema.parse(input.spec);
  try {
    await db.tx(async (tx) => {
      const current = await activeRun(tx, spec.env);
      if (current) throw new ActiveRunError(current.id, spec.env);
      await tx.run(
        "INSERT INTO runs (id, env, kind, status, plan, spec, created_by, created_at, cancel_requested) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, 0)",
        [id, spec.env, input.kind, JSON.stringify(input.plan), JSON.stringify(spec), input.createdBy, now],
      );
      for (const item of input.plan.items) {
        await tx.run(
          "INSERT INTO run_steps (run_id, step_key, kind, name, action, status, depends_on, attempts) VALUES (?, ?, ?, ?, ?, 'pending', ?, 0)",
          [id, item.key, item.kind, item.name, item.action, JSON.stringify(item.deps)],
        );
      }
      const existing = await getStack(tx, spec.env);
      await upsertStack(tx, {
        env: spec.env,
        region: spec.region,
        // A destroy keeps the stored spec; an apply stores the new one.
        spec: input.kind === "apply" ? spec : (existing?.spec ?? spec),
        status: input.kind === "apply" ? "provisioning" : "destroying",
        adopted: input.adopted ?? existing?.adopted ?? false,
        createdBy: existing?.createdBy ?? input.createdBy,
      });
    });
  } catch (err) {
    if (err instanceof ActiveRunError) throw err;
    if (/unique|UNIQUE|runs_one_active/.test(String((err as Error).message))) throw new ActiveRunError(undefined, spec.env);
    throw err;
  }
  return id;
}

export async function getRun(db: Db, id: string): Promise<RunView | undefined> {
  const r = await db.get<RunRow>("SELECT * FROM runs WHERE id = ?", [id]);
  if (!r) return undefined;
  const steps = await db.all<StepRow>("SELECT * FROM run_steps WHERE run_id = ?", [id]);
  const plan = JSON.parse(r.plan) as Plan;
  const order = new Map(plan.items.map((i, n) => [i.key, n]));
  steps.sort((a, b) => (order.get(a.step_key) ?? 0) - (order.get(b.step_key) ?? 0));
  const albStep = steps.find((s) => s.step_key === "alb");
  const albOut = albStep?.outputs ? (JSON.parse(albStep.outputs) as Outputs) : undefined;
  // A run stored before a schema change still shows; it just cannot tell its listener's protocol or domain name.
  const spec = stackSpecSchema.safeParse(JSON.parse(r.spec)).data ?? {};
  return {
    ...runSummary(r),
    leaseExpiresAt: num(r.lease_expires_at),
    apiUrl: r.kind === "apply" && albOut?.dnsName ? stackUrls(spec, albOut.dnsName).api : null,
    steps: steps.map((s) => ({
      key: s.step_key,
      kind: s.kind,
      name: s.name,
      action: s.action,
      status: s.status,
      deps: JSON.parse(s.depends_on) as string[],
      attempts: Number(s.attempts),
      startedAt: num(s.started_at),
      finishedAt: num(s.finished_at),
      detail: s.detail,
      error: s.error,
    })),
  };
}

/** The spec a run was created with (validated when the run was stored; parsed again here, where it is read). */
export function runSpec(r: Pick<RunRow, "spec">): StackSpec {
  return stackSpecSchema.parse(JSON.parse(r.spec));
}

/** A run row as the pages show it, without its steps (shared by the run page and the runs list). */
function runSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    env: r.env,
    kind: r.kind,
    status: r.status,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    cancelRequested: Number(r.cancel_requested) === 1,
    error: r.error,
  };
}

export async function listRuns(db: Db, env: string, limit = 20): Promise<RunSummary[]> {
  const rows = await db.all<RunRow>("SELECT * FROM runs WHERE env = ? ORDER BY created_at DESC LIMIT ?", [env, limit]);
  return rows.map(runSummary);
}

/** Marks an active run for cancel; false when it has already finished. */
export async function markCancelRequested(db: Db, id: string): Promise<boolean> {
  const { changes } = await db.run(`UPDATE runs SET cancel_requested = 1 WHERE id = ? AND ${ACTIVE_STATUS_SQL}`, [id]);
  return changes > 0;
}
