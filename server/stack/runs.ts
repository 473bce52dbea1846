import "server-only";
import { redactCredentials } from "@/lib/redact";
import { randomUUID } from "node:crypto";
import { stackSpecSchema, type StackSpec } from "@/lib/stack-spec";
import { stackUrls } from "@/lib/stack-names";
import type { Db } from "@/server/db";
import { config } from "@/server/config";
import { log } from "@/server/log";
import { getStack, setStackStatus, upsertStack } from "@/server/stacks/registry";
import type { Plan } from "@/lib/plan";
import type { RunKind, RunStatus, RunView, StepStatus } from "@/lib/runs";
import { converge, defaultSleep, remove, runDag, type ExecOptions, type StepTiming } from "./apply";
import { buildGraph, reverseDeps, stackContext, type GraphNode } from "./graph";
import type { Outputs, Refs, StackContext } from "./types";

// Durable runs. A run (apply or destroy) is a row in `runs` plus one row per resource in `run_steps`; the executor
// persists every transition, so the run page survives reloads and a restarted console resumes a run whose lease has
// expired. The lease (owner id + expiry, renewed while executing) makes exactly one process execute a run, also
// with several replicas on one PostgreSQL. One active run per stack: enforced by a partial unique index (003).

export class ActiveRunError extends Error {
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

/** The process's identity for leases. */
const OWNER = `${process.pid}-${randomUUID().slice(0, 8)}`;

export interface RunnerConfig {
  leaseMs: number;
  concurrency: number;
  maxAttempts: number;
  backoffBaseMs: number;
  timing: StepTiming;
  /** Builds the AWS context (tests pass a fixed one). */
  context: (spec: StackSpec) => Promise<StackContext>;
  /** The resource graph (tests pass fake resources). */
  graph: (spec: StackSpec) => GraphNode[];
}

const g = globalThis as typeof globalThis & { __pecRunner?: Partial<RunnerConfig>; __pecActive?: Map<string, AbortController> };
const active = (g.__pecActive ??= new Map<string, AbortController>());

/** Poll intervals, backoff and timeouts (server/config.ts); tests replace parts with configureRunner. */
export function runnerConfig(): RunnerConfig {
  const c = config();
  const pollMs = c.CONSOLE_APPLY_POLL_MS;
  return {
    leaseMs: 30_000,
    concurrency: 6,
    maxAttempts: 8,
    backoffBaseMs: c.CONSOLE_APPLY_BACKOFF_MS,
    timing: { pollMs, timeoutMs: 45 * 60_000, now: () => Date.now(), sleep: defaultSleep },
    context: stackContext,
    graph: (spec) => buildGraph(spec),
    ...g.__pecRunner,
  };
}

/** Tests override parts of the runner (fake graph, fast timing). */
export function configureRunner(over: Partial<RunnerConfig> | undefined): void {
  g.__pecRunner = over;
}

interface RunRow {
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

interface StepRow {
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

export async function activeRun(db: Db, env: string): Promise<{ id: string; kind: RunKind } | undefined> {
  return db.get<{ id: string; kind: RunKind }>(
    "SELECT id, kind FROM runs WHERE env = ? AND status IN ('queued', 'running') ORDER BY created_at DESC",
    [env],
  );
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
  const spec = JSON.parse(r.spec) as StackSpec;
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

type RunSummary = Omit<RunView, "steps" | "apiUrl" | "leaseExpiresAt">;

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

/** Asks a run to stop: the executor stops scheduling, running steps stop at their next wait. */
export async function requestCancel(db: Db, id: string): Promise<boolean> {
  const { changes } = await db.run("UPDATE runs SET cancel_requested = 1 WHERE id = ? AND status IN ('queued', 'running')", [id]);
  active.get(id)?.abort();
  return changes > 0;
}

/** Takes (or renews) the lease; false when another live process holds it. */
async function takeLease(db: Db, id: string, leaseMs: number, now = Date.now()): Promise<boolean> {
  const { changes } = await db.run(
    "UPDATE runs SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND status IN ('queued', 'running') AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ?)",
    [OWNER, now + leaseMs, id, OWNER, now],
  );
  return changes === 1;
}

/**
 * Executes a run to its end if this process can take its lease. Safe to call for any run id at any time:
 * finished runs and runs leased by another live process are left alone. Resolves when the run stops.
 */
export async function executeRun(db: Db, id: string): Promise<RunStatus | undefined> {
  if (active.has(id)) return undefined;
  const cfg = runnerConfig();
  if (!(await takeLease(db, id, cfg.leaseMs))) return undefined;
  const controller = new AbortController();
  active.set(id, controller);
  const renew = setInterval(
    () => {
      void takeLease(db, id, cfg.leaseMs).then(
        async (ok) => {
          if (!ok) {
            log.warn("run lease lost", { run: id });
            controller.abort();
            return;
          }
          const c = await db.get<{ cancel_requested: number }>("SELECT cancel_requested FROM runs WHERE id = ?", [id]);
          if (Number(c?.cancel_requested) === 1) controller.abort();
        },
        () => {},
      );
    },
    Math.max(50, Math.floor(cfg.leaseMs / 3)),
  );
  try {
    return await execute(db, id, cfg, controller);
  } finally {
    clearInterval(renew);
    active.delete(id);
    await db
      .run("UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?", [id, OWNER])
      .catch(() => {});
  }
}

async function execute(db: Db, id: string, cfg: RunnerConfig, controller: AbortController): Promise<RunStatus> {
  const row = await db.get<RunRow>("SELECT * FROM runs WHERE id = ?", [id]);
  if (!row) throw new Error(`run ${id} not found`);
  const spec = stackSpecSchema.parse(JSON.parse(row.spec));
  const now = Date.now();
  await db.run("UPDATE runs SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ?", [now, id]);
  if (Number(row.cancel_requested) === 1) controller.abort();

  // Steps finished by an earlier process are kept (with their outputs); interrupted ones start again (idempotent).
  const stepRows = await db.all<StepRow>("SELECT * FROM run_steps WHERE run_id = ?", [id]);
  const done: Refs = {};
  for (const s of stepRows) if (s.status === "done") done[s.step_key] = s.outputs ? (JSON.parse(s.outputs) as Outputs) : {};
  await db.run(
    "UPDATE run_steps SET status = 'pending', error = NULL WHERE run_id = ? AND status IN ('running', 'failed', 'skipped', 'cancelled')",
    [id],
  );

  const nodes = cfg.graph(spec).filter((n) => stepRows.some((s) => s.step_key === n.resource.key));
  const byKey = new Map(nodes.map((n) => [n.resource.key, n]));
  const steps =
    row.kind === "apply"
      ? nodes.map((n) => ({ key: n.resource.key, deps: n.deps }))
      : [...reverseDeps(nodes.map((n) => ({ key: n.resource.key, deps: n.deps })))].map(([key, deps]) => ({ key, deps }));

  let result: Awaited<ReturnType<typeof runDag>>;
  try {
    const ctx = await cfg.context(spec);
    const opts: ExecOptions = {
      concurrency: cfg.concurrency,
      maxAttempts: cfg.maxAttempts,
      backoffMs: (n) => Math.min(cfg.backoffBaseMs * 2 ** (n - 1), 60_000),
      sleep: cfg.timing.sleep,
      signal: controller.signal,
    };
    const setDetail = (key: string) => (detail: string) =>
      db
        .run("UPDATE run_steps SET detail = ? WHERE run_id = ? AND step_key = ?", [redactCredentials(detail).slice(0, 500), id, key])
        .then(() => {});
    result = await runDag(
      steps,
      (key, refs, signal) => {
        const node = byKey.get(key);
        if (!node) throw new Error(`unknown step ${key}`);
        return row.kind === "apply"
          ? converge(node, ctx, refs, signal, cfg.timing, setDetail(key))
          : remove(node, ctx, signal, cfg.timing, setDetail(key));
      },
      opts,
      {
        onStart: (key, attempt) =>
          db
            .run(
              "UPDATE run_steps SET status = 'running', attempts = ?, started_at = COALESCE(started_at, ?), error = NULL WHERE run_id = ? AND step_key = ?",
              [attempt, Date.now(), id, key],
            )
            .then(() => {}),
        onRetry: (key, attempt, err, delay) =>
          db
            .run("UPDATE run_steps SET detail = ? WHERE run_id = ? AND step_key = ?", [
              redactCredentials(`retrying in ${Math.round(delay / 1000)}s after: ${err.message}`).slice(0, 500),
              id,
              key,
            ])
            .then(() => {}),
        onDone: (key, outputs) =>
          db
            .run("UPDATE run_steps SET status = 'done', finished_at = ?, outputs = ?, detail = ? WHERE run_id = ? AND step_key = ?", [
              Date.now(),
              JSON.stringify(outputs),
              // A step may say how it got there (work pools: through the API, or from inside the VPC).
              row.kind === "apply" ? (outputs.summary ?? "ready") : "deleted",
              id,
              key,
            ])
            .then(() => {}),
        onFail: (key, err) => {
          log.warn("run step failed", { run: id, step: key, error: err.message });
          return db
            .run("UPDATE run_steps SET status = 'failed', finished_at = ?, error = ? WHERE run_id = ? AND step_key = ?", [
              Date.now(),
              redactCredentials(err.message).slice(0, 2000),
              id,
              key,
            ])
            .then(() => {});
        },
      },
      done,
    );
  } catch (err) {
    result = { status: "failed", statuses: {}, outputs: {}, error: (err as Error).message };
  }
  for (const [key, st] of Object.entries(result.statuses))
    if (st === "skipped" || st === "cancelled")
      await db.run("UPDATE run_steps SET status = ? WHERE run_id = ? AND step_key = ? AND status <> 'done'", [st, id, key]);

  // A lease lost to another process is not a cancel: leave the run to its new owner.
  const still = await db.get<{ lease_owner: string | null; cancel_requested: number }>(
    "SELECT lease_owner, cancel_requested FROM runs WHERE id = ?",
    [id],
  );
  if (result.status === "cancelled" && still?.lease_owner !== OWNER && Number(still?.cancel_requested) !== 1) return "running";

  const status: RunStatus = result.status;
  await db.run("UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?", [
    status,
    Date.now(),
    status === "cancelled" ? "Cancelled by a user" : result.error ? redactCredentials(result.error) : null,
    id,
  ]);
  // A failed or cancelled change to a stack that once applied cleanly leaves it running but not as specified:
  // "degraded". A stack that never got to ready is "failed".
  const everReady = await db.get<{ id: string }>(
    "SELECT id FROM runs WHERE env = ? AND kind = 'apply' AND status = 'succeeded' AND created_at < ?",
    [row.env, Number(row.created_at)],
  );
  const stackStatus =
    status === "succeeded" ? (row.kind === "apply" ? "ready" : "destroyed") : row.kind === "apply" && everReady ? "degraded" : "failed";
  await setStackStatus(db, row.env, stackStatus);
  log.info("run finished", { run: id, env: row.env, kind: row.kind, status });
  return status;
}

/** Starts executing in the background (the request that created the run returns at once). */
export function startRun(db: Db, id: string): void {
  void executeRun(db, id).catch((err: unknown) =>
    log.error("run crashed", { run: id, error: err instanceof Error ? err.stack : String(err) }),
  );
}

/** At start-up (instrumentation.ts) and periodically: pick up runs whose owner died (lease expired or never taken). */
export async function resumeRuns(db: Db): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    "SELECT id FROM runs WHERE status IN ('queued', 'running') AND (lease_expires_at IS NULL OR lease_expires_at < ?)",
    [Date.now()],
  );
  for (const r of rows) startRun(db, r.id);
  return rows.map((r) => r.id);
}
