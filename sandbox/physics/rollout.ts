// The ECS service scheduler's decisions for one service at one instant, as a pure function: how many tasks of the
// primary deployment to launch and which tasks to stop. Rolling replacement goes one task at a time: a new task
// must be healthy before an old one is stopped (minimumHealthyPercent 100 / maximumPercent 200, the defaults).
import type { SimDeployment, SimService, SimTask } from "../world";
import { isLive } from "./lifecycle";

export interface RolloutPlan {
  start: number;
  stop: { task: SimTask; reason: string }[];
}

export interface RolloutInput {
  service: SimService;
  tasks: SimTask[]; // all tasks of the service, any state
  healthy: (t: SimTask) => boolean;
  maximumPercent: number;
  minimumHealthyPercent: number;
  now: number;
}

export function primaryOf(svc: SimService): SimDeployment | undefined {
  return svc.deployments.find((d) => d.status === "PRIMARY");
}

export function planRollout(input: RolloutInput): RolloutPlan {
  const { service: svc, healthy } = input;
  const primary = primaryOf(svc);
  const plan: RolloutPlan = { start: 0, stop: [] };
  if (!primary) return plan;
  const desired = svc.desiredCount;
  const live = input.tasks.filter(isLive);
  const mine = live.filter((t) => t.deploymentId === primary.id);
  const old = live.filter((t) => t.deploymentId !== primary.id);
  const maxTotal = Math.max(desired, Math.floor((desired * input.maximumPercent) / 100));
  const minHealthy = Math.ceil((desired * input.minimumHealthyPercent) / 100);
  const scaleReason = `Scaling activity initiated by (deployment ${primary.id})`;

  // Scale-in of the primary: stop the least useful first (not yet running, then newest).
  if (mine.length > desired) {
    const order = [...mine].sort((a, b) => Number(healthy(a)) - Number(healthy(b)) || b.createdAt - a.createdAt);
    for (const t of order.slice(0, mine.length - desired)) plan.stop.push({ task: t, reason: scaleReason });
  }

  // Launch primary tasks (a FAILED deployment stops launching: the circuit breaker tripped).
  if (primary.rolloutState !== "FAILED" && input.now >= svc.nextLaunchAt) {
    let want = Math.max(0, desired - mine.length);
    if (old.length > 0) {
      const inFlight = mine.filter((t) => !healthy(t)).length;
      want = Math.min(want, Math.max(0, 1 - inFlight), Math.max(0, maxTotal - live.length));
    }
    plan.start = want;
  }

  // Stop old-deployment tasks while enough healthy tasks remain.
  let healthyCount = live.filter(healthy).length;
  const oldOrder = [...old].sort((a, b) => Number(healthy(a)) - Number(healthy(b)) || a.createdAt - b.createdAt);
  const primaryHealthy = mine.filter(healthy).length;
  for (const t of oldOrder) {
    if (!healthy(t)) {
      plan.stop.push({ task: t, reason: scaleReason });
    } else if (primaryHealthy >= desired || healthyCount - 1 >= minHealthy) {
      plan.stop.push({ task: t, reason: scaleReason });
      healthyCount--;
    } else break;
  }
  return plan;
}

/** ECS circuit breaker threshold: half the desired count, at least 3, at most 200. */
export function circuitBreakerThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desired * 0.5)));
}

/** A deployment is done when only its own tasks are live, as many as desired, all healthy. */
export function isDeploymentComplete(svc: SimService, tasks: SimTask[], healthy: (t: SimTask) => boolean): boolean {
  const primary = primaryOf(svc);
  if (!primary) return false;
  const live = tasks.filter(isLive);
  if (live.some((t) => t.deploymentId !== primary.id)) return false;
  return live.length === svc.desiredCount && live.every(healthy);
}
