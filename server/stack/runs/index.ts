import "server-only";

// Durable runs (apply or destroy): types.ts the lifecycle and DTOs, store.ts creating and reading the rows,
// progress.ts what the executor writes as it goes, lease.ts which process
// executes a run, execute.ts the executor, config.ts its tunables.
export { configureRunner, runnerConfig, type RunnerConfig } from "./config";
export { executeRun, requestCancel, resumeRuns, startRun } from "./execute";
export { ActiveRunError, activeRun, createRun, getRun, listRuns } from "./store";
export {
  ACTIVE_RUN_STATES,
  type ActiveRunStatus,
  type RunKind,
  type RunStatus,
  type RunStepView,
  type RunSummary,
  type RunView,
} from "./types";
