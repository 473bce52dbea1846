import "server-only";

// Durable runs (apply or destroy). The lifecycle, ACTIVE_RUN_STATES and the DTOs are in lib/runs.ts; here store.ts
// creates and reads the rows, progress.ts is what the executor writes as it goes, lease.ts decides which process
// executes a run, execute.ts is the executor and config.ts its tunables.
export { configureRunner, runnerConfig, type RunnerConfig } from "./config";
export { executeRun, requestCancel, resumeRuns, startRun } from "./execute";
export { ActiveRunError, activeRun, createRun, getRun, listRuns } from "./store";
