import "server-only";
import { processSingleton } from "@/server/process-singleton";
import type { Db } from "@/server/db";
import { isDraining } from "@/server/lifecycle/shutdown";
import { log } from "@/server/log";
import { converge, remove, runDag, type ExecOptions } from "../apply";
import { reverseDeps } from "../graph";
import { setStackStatus } from "../registry";
import type { Outputs, Refs } from "../types";
import { runnerConfig, type RunnerConfig } from "./config";
import { leaseState, releaseLease, takeLease } from "./lease";
import { appliedCleanlyBefore, runProgress, type RunProgress } from "./progress";
import { markCancelRequested, orphanedRunIds, runSpec } from "./store";
import type { RunStatus } from "@/lib/runs";

// The executor: persists every transition, so the run page survives reloads and a restarted console resumes a run
// whose lease has expired (lease.ts) or was handed back at shutdown (handBackRuns).

/** Runs this process is executing now, so a cancel reaches the running step at once. */
const active = processSingleton("active-runs", () => new Map<string, AbortController>());

/** The abort reason of a run stopped because this process shuts down (not a user's cancel, not a lost lease). */
const HAND_BACK = "console shutting down";

/** Asks a run to stop: the executor stops scheduling, running steps stop at their next wait. */
export async function requestCancel(db: Db, id: string): Promise<boolean> {
  const marked = await markCancelRequested(db, id);
  active.get(id)?.abort();
  return marked;
}

/**
 * Executes a run to its end if this process can take its lease. Safe to call for any run id at any time:
 * finished runs and runs leased by another live process are left alone. Resolves when the run stops.
 */
export async function executeRun(db: Db, id: string): Promise<RunStatus | undefined> {
  // A process shutting down takes no new work: the run stays queued for another replica or the next start.
  if (active.has(id) || isDraining()) return undefined;
  const cfg = runnerConfig();
  if (!(await takeLease(db, id, cfg.leaseMs))) return undefined;
  const controller = new AbortController();
  active.set(id, controller);
  const progress = runProgress(db, id);
  const renew = setInterval(
    () => {
      void takeLease(db, id, cfg.leaseMs).then(
        async (ok) => {
          if (!ok) {
            log.warn("run lease lost", { run: id });
            controller.abort();
            return;
          }
          if (await progress.cancelRequested()) controller.abort();
        },
        () => {},
      );
    },
    Math.max(50, Math.floor(cfg.leaseMs / 3)),
  );
  try {
    return await execute(db, id, progress, cfg, controller);
  } finally {
    clearInterval(renew);
    active.delete(id);
    await releaseLease(db, id).catch(() => {});
  }
}

async function execute(db: Db, id: string, progress: RunProgress, cfg: RunnerConfig, controller: AbortController): Promise<RunStatus> {
  const row = await progress.row();
  if (!row) throw new Error(`run ${id} not found`);
  const spec = runSpec(row);
  await progress.started();
  if (Number(row.cancel_requested) === 1) controller.abort();

  // Steps finished by an earlier process are kept (with their outputs); interrupted ones start again (idempotent).
  const stepRows = await progress.steps();
  const done: Refs = {};
  for (const s of stepRows) if (s.status === "done") done[s.step_key] = s.outputs ? (JSON.parse(s.outputs) as Outputs) : {};
  await progress.resetUnfinishedSteps();

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
    const setDetail = (key: string) => (detail: string) => progress.stepDetail(key, detail);
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
        onStart: (key, attempt) => progress.stepStarted(key, attempt),
        onRetry: (key, _attempt, err, delay) => progress.stepDetail(key, `retrying in ${Math.round(delay / 1000)}s after: ${err.message}`),
        // A step may say how it got there (work pools: through the API, or from inside the VPC).
        onDone: (key, outputs) => progress.stepDone(key, outputs, row.kind === "apply" ? (outputs.summary ?? "ready") : "deleted"),
        onFail: (key, err) => {
          log.warn("run step failed", { run: id, step: key, error: err.message });
          return progress.stepFailed(key, err.message);
        },
      },
      done,
    );
  } catch (err) {
    result = { status: "failed", statuses: {}, outputs: {}, error: (err as Error).message };
  }
  // Handed back at shutdown: unfinished steps wait for the next owner and the run stays `running` (executeRun's
  // finally releases the lease, so the next owner need not wait for it to expire).
  const handedBack = result.status === "cancelled" && controller.signal.reason === HAND_BACK;
  for (const [key, st] of Object.entries(result.statuses))
    if (st === "skipped" || st === "cancelled") await progress.stepSettled(key, handedBack ? "pending" : st);
  if (handedBack) {
    log.info("run handed back at shutdown", { run: id, env: row.env });
    return "running";
  }

  // A lease lost to another process is not a cancel: leave the run to its new owner.
  const still = await leaseState(db, id);
  if (result.status === "cancelled" && !still.mine && !still.cancelRequested) return "running";

  const status: RunStatus = result.status;
  await progress.finished(status, status === "cancelled" ? "Cancelled by a user" : (result.error ?? null));
  // A failed or cancelled change to a stack that once applied cleanly leaves it running but not as specified:
  // "degraded". A stack that never got to ready is "failed".
  const everReady = await appliedCleanlyBefore(db, row);
  const stackStatus =
    status === "succeeded" ? (row.kind === "apply" ? "ready" : "destroyed") : row.kind === "apply" && everReady ? "degraded" : "failed";
  await setStackStatus(db, row.env, stackStatus);
  log.info("run finished", { run: id, env: row.env, kind: row.kind, status });
  return status;
}

/**
 * On shutdown (server/lifecycle): stops every run this process executes at its next safe point (between AWS calls:
 * a step's waits and retries end, no new step starts) and resolves once each has released its lease. The caller
 * bounds the wait; a run still stopping when the process exits keeps its lease until it expires, as after a crash.
 */
export async function handBackRuns(pollMs = 50): Promise<string[]> {
  const ids = [...active.keys()];
  for (const c of active.values()) c.abort(HAND_BACK);
  while (ids.some((id) => active.has(id))) await new Promise((r) => setTimeout(r, pollMs));
  return ids;
}

/** Starts executing in the background (the request that created the run returns at once). */
export function startRun(db: Db, id: string): void {
  void executeRun(db, id).catch((err: unknown) =>
    log.error("run crashed", { run: id, error: err instanceof Error ? err.stack : String(err) }),
  );
}

/** At start-up (instrumentation.ts) and periodically: pick up runs whose owner died (lease expired or never taken). */
export async function resumeRuns(db: Db): Promise<string[]> {
  const ids = await orphanedRunIds(db);
  for (const id of ids) startRun(db, id);
  return ids;
}
