// Isomorphic: an operation the page follows until AWS reports it finished (the service is steady again).
import type { ServiceDto, StackSnapshot } from "@/lib/ops/types";

export type Operation =
  | { kind: "scale"; service: string; to: number; startedAt: number }
  | { kind: "restart"; service: string; deploymentId: string | null; startedAt: number }
  | { kind: "rollback"; service: string; to: string; startedAt: number }
  | { kind: "stop"; service: string; taskId: string; startedAt: number };

export function describeOperation(op: Operation): string {
  switch (op.kind) {
    case "scale":
      return `Scaling ${op.service} to ${op.to}`;
    case "restart":
      return `Restarting ${op.service} (new deployment)`;
    case "rollback":
      return `Rolling ${op.service} back to ${op.to}`;
    case "stop":
      return `Stopping task ${op.taskId.slice(0, 8)} of ${op.service}; the service starts a replacement`;
  }
}

/** Progress line from the latest snapshot, e.g. "2 of 3 running, 1 pending". */
export function progressOf(op: Operation, s: ServiceDto | undefined): string {
  if (!s) return "waiting for the service…";
  const primary = s.deployments.find((d) => d.status === "PRIMARY");
  const rollout = primary?.rolloutState ? ` · rollout ${primary.rolloutState.toLowerCase().replace("_", " ")}` : "";
  const deployments = s.deployments.length > 1 ? ` · ${s.deployments.length} deployments` : "";
  const target = op.kind === "scale" ? op.to : s.desired;
  return `${s.running} of ${target} running, ${s.pending} pending${deployments}${rollout}`;
}

/** Whether AWS reports the operation done; `failed` when the rollout failed. */
export function operationState(op: Operation, snap: StackSnapshot): "running" | "done" | "failed" {
  if (!snap.services.ok) return "running";
  const s = snap.services.data.find((x) => x.name === op.service);
  if (!s) return "running";
  const primary = s.deployments.find((d) => d.status === "PRIMARY");
  if (primary?.rolloutState === "FAILED") return "failed";
  if (!s.steady) return "running";
  switch (op.kind) {
    case "scale":
      return s.desired === op.to && s.running === op.to ? "done" : "running";
    case "restart":
      return op.deploymentId === null || primary?.id === op.deploymentId ? "done" : "running";
    case "rollback":
      return s.taskDefinition === op.to ? "done" : "running";
    case "stop": {
      if (!snap.tasks.ok) return "running";
      const t = snap.tasks.data.find((x) => x.id === op.taskId);
      return !t || t.lastStatus === "STOPPED" ? "done" : "running";
    }
  }
}
