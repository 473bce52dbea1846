import "server-only";
import type { StackSpec } from "@/lib/stack-spec";
import { config } from "@/server/config";
import { defaultSleep, type StepTiming } from "../apply";
import { buildGraph, stackContext, type GraphNode } from "../graph";
import type { StackContext } from "../types";

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

const g = globalThis as typeof globalThis & { __pecRunner?: Partial<RunnerConfig> };

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
