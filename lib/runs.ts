// Isomorphic: a provisioning run (apply or destroy) and its steps as the run page shows them. server/stack/runs.ts
// persists and executes runs; server/stack/apply.ts reports each step's status.

/** One step's state in the DAG executor. */
export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped" | "cancelled";

export type RunKind = "apply" | "destroy";
export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface RunStepView {
  key: string;
  kind: string;
  name: string;
  action: string;
  status: StepStatus;
  deps: string[];
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  detail: string | null;
  error: string | null;
}

export interface RunView {
  id: string;
  env: string;
  kind: RunKind;
  status: RunStatus;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  cancelRequested: boolean;
  error: string | null;
  /** When the executing process's lease ends (null when no process holds it). */
  leaseExpiresAt: number | null;
  steps: RunStepView[];
  /** Outputs a finished apply exposes to the page (ALB DNS name); never secrets. */
  apiUrl: string | null;
}
