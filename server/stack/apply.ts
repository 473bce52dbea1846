import "server-only";
import { ConsoleAwsError } from "@/server/aws/errors";
import { PrefectError } from "@/server/prefect/client";
import type { StepStatus } from "@/lib/runs";
import type { GraphNode } from "./graph";
import { RetryableError, TerminalError, type Outputs, type Refs, type StackContext } from "./types";

// The DAG executor: starts every step whose dependencies are done (bounded parallelism), retries retryable
// failures with exponential backoff, stops scheduling after a terminal failure or a cancel, and reports every
// transition so runs.ts can persist it. Waits are injectable (clock, poll interval, timeout) so tests run fast.

export interface DagStep {
  key: string;
  deps: string[];
}

export interface ExecOptions {
  concurrency: number;
  maxAttempts: number;
  /** Delay before attempt n+1 (n ≥ 1). */
  backoffMs: (attempt: number) => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
}

export interface DagEvents {
  onStart?(key: string, attempt: number): void | Promise<void>;
  onRetry?(key: string, attempt: number, error: Error, delayMs: number): void | Promise<void>;
  onDone?(key: string, outputs: Outputs): void | Promise<void>;
  onFail?(key: string, error: Error): void | Promise<void>;
}

export interface DagResult {
  status: "succeeded" | "failed" | "cancelled";
  statuses: Record<string, StepStatus>;
  outputs: Refs;
  error?: string;
}

export class CancelledError extends Error {
  constructor() {
    super("Cancelled");
    this.name = "CancelledError";
  }
}

export const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

export function isRetryable(err: unknown): boolean {
  if (err instanceof TerminalError || err instanceof CancelledError) return false;
  if (err instanceof RetryableError) return true;
  if (err instanceof ConsoleAwsError) return err.retryable;
  if (err instanceof PrefectError)
    return err.kind === "unreachable" || err.kind === "timeout" || (err.kind === "http" && (err.status ?? 500) >= 500);
  return false;
}

/**
 * Runs `run` for each step once its deps are done. `done` holds steps finished by an earlier (interrupted) run,
 * with their outputs — they are not run again.
 */
export async function runDag(
  steps: DagStep[],
  run: (key: string, refs: Refs, signal: AbortSignal) => Promise<Outputs>,
  opts: ExecOptions,
  events: DagEvents = {},
  done: Refs = {},
): Promise<DagResult> {
  const statuses: Record<string, StepStatus> = Object.fromEntries(steps.map((s) => [s.key, s.key in done ? "done" : "pending"]));
  const outputs: Refs = { ...done };
  let firstError: string | undefined;
  let stopping = false;
  const inflight = new Map<string, Promise<void>>();

  const runnable = () =>
    steps.filter((s) => statuses[s.key] === "pending" && s.deps.every((d) => statuses[d] === "done" || statuses[d] === undefined));

  const execute = async (key: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if (opts.signal.aborted) throw new CancelledError();
      await events.onStart?.(key, attempt);
      try {
        const out = await run(key, outputs, opts.signal);
        outputs[key] = out;
        statuses[key] = "done";
        await events.onDone?.(key, out);
        return;
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        if (opts.signal.aborted || e instanceof CancelledError) throw new CancelledError();
        if (isRetryable(e) && attempt < opts.maxAttempts) {
          const delay = opts.backoffMs(attempt);
          await events.onRetry?.(key, attempt, e, delay);
          await opts.sleep(delay, opts.signal);
          continue;
        }
        throw e;
      }
    }
  };

  const launch = (key: string) => {
    statuses[key] = "running";
    const p = execute(key)
      .catch(async (err: unknown) => {
        if (err instanceof CancelledError) {
          statuses[key] = "cancelled";
          return;
        }
        const e = err instanceof Error ? err : new Error(String(err));
        statuses[key] = "failed";
        firstError ??= e.message;
        stopping = true;
        await events.onFail?.(key, e);
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, p);
  };

  for (;;) {
    if (!stopping && !opts.signal.aborted) for (const s of runnable()) if (inflight.size < opts.concurrency) launch(s.key);
    if (inflight.size === 0) break;
    await Promise.race(inflight.values());
  }

  for (const s of steps) if (statuses[s.key] === "pending") statuses[s.key] = opts.signal.aborted ? "cancelled" : "skipped";
  const failed = Object.values(statuses).includes("failed");
  const status = failed
    ? "failed"
    : opts.signal.aborted
      ? "cancelled"
      : Object.values(statuses).every((s) => s === "done")
        ? "succeeded"
        : "failed";
  return {
    status,
    statuses,
    outputs,
    ...(firstError ? { error: firstError } : status === "failed" ? { error: "Some steps could not run" } : {}),
  };
}

// ── Level-based steps ─────────────────────────────────────────────────────────────────────────────────────────

export interface StepTiming {
  pollMs: number;
  /** How long a step may wait for readiness (RDS creation takes ~5–15 minutes on AWS). */
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface StepProgress {
  (detail: string): void | Promise<void>;
}

/** Bring one resource to its desired state and wait until it is ready; returns its outputs. */
export async function converge(
  node: GraphNode,
  ctx: StackContext,
  refs: Refs,
  signal: AbortSignal,
  timing: StepTiming,
  progress: StepProgress = () => {},
): Promise<Outputs> {
  const r = node.resource;
  const deadline = timing.now() + timing.timeoutMs;
  let actions = 0;
  let polls = 0;
  for (;;) {
    if (signal.aborted) throw new CancelledError();
    const observed = await r.observe(ctx);
    const desired = r.desired(ctx, refs);
    if (observed === undefined) {
      if (++actions > 4) throw new TerminalError(`${r.kind} ${r.name(ctx)} was created but cannot be found by its name`);
      await progress("creating");
      try {
        await r.create(ctx, desired);
      } catch (err) {
        // "Already exists": an earlier attempt whose answer was lost did create it. Level-based: observe again.
        if (!(err instanceof ConsoleAwsError && err.kind === "conflict")) throw err;
      }
      continue;
    }
    const diff = r.diff(desired, observed, ctx);
    if (diff.action === "replace") {
      if (++actions > 4) throw new TerminalError(`${r.kind} ${r.name(ctx)} did not converge`);
      await progress(`replacing (${diff.changes.map((c) => c.field).join(", ")})`);
      await r.delete(ctx, observed);
      await waitGone(node, ctx, signal, timing, deadline);
      continue;
    }
    if (diff.action === "update") {
      if (++actions > 4)
        throw new TerminalError(`${r.kind} ${r.name(ctx)} still differs after updating: ${diff.changes.map((c) => c.field).join(", ")}`);
      await progress(`updating ${diff.changes.map((c) => c.field).join(", ")}`);
      await r.update(ctx, desired, observed, diff);
      continue;
    }
    const ready = r.ready(observed, ctx);
    if (ready === true) return r.outputs(observed);
    if (timing.now() > deadline)
      throw new TerminalError(`${r.kind} ${r.name(ctx)} was not ready after ${Math.round(timing.timeoutMs / 60_000)} minutes (${ready})`);
    await progress(ready);
    // Poll quickly at first (most resources are ready within seconds), then settle at pollMs.
    await timing.sleep(Math.min(timing.pollMs, 250 * 2 ** polls++), signal);
  }
}

async function waitGone(node: GraphNode, ctx: StackContext, signal: AbortSignal, timing: StepTiming, deadline: number): Promise<void> {
  const r = node.resource;
  for (let polls = 0; ; polls++) {
    const gone = r.gone ? await r.gone(ctx) : (await r.observe(ctx)) === undefined;
    if (gone) return;
    if (timing.now() > deadline)
      throw new TerminalError(
        `${r.kind} ${r.name(ctx)} was still there ${Math.round(timing.timeoutMs / 60_000)} minutes after deleting it`,
      );
    await timing.sleep(Math.min(timing.pollMs, 250 * 2 ** polls), signal);
  }
}

/** Delete one resource (if it exists) and wait until it is gone. */
export async function remove(
  node: GraphNode,
  ctx: StackContext,
  signal: AbortSignal,
  timing: StepTiming,
  progress: StepProgress = () => {},
): Promise<Outputs> {
  const r = node.resource;
  const observed = await r.observe(ctx);
  if (observed !== undefined) {
    await progress("deleting");
    await r.delete(ctx, observed);
  }
  await progress("waiting until it is gone");
  await waitGone(node, ctx, signal, timing, timing.now() + timing.timeoutMs);
  return {};
}
