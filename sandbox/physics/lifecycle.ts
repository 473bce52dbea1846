// One task's lifecycle, as pure state transitions on the World's SimTask record.
// PROVISIONING → PENDING → RUNNING, and when asked to stop: DEACTIVATING (targets draining) → STOPPING →
// DEPROVISIONING → STOPPED. Times are planned in real ms (AWS seconds / time scale).
import type { SimTask } from "../world";
import { AWS_SECONDS } from "./timing";

export type LifecycleEvent = "running" | "crashed" | "stopped";

export interface StopRequest {
  reason: string;
  stopCode: "ServiceSchedulerInitiated" | "UserInitiated" | "EssentialContainerExited" | "TaskFailedToStart";
  exitCode?: number;
}

export function requestStop(t: SimTask, now: number, req: StopRequest): void {
  if (t.desiredStatus === "STOPPED") return;
  t.desiredStatus = "STOPPED";
  t.stoppingAt = now;
  t.stoppedReason = req.reason;
  t.stopCode = req.stopCode;
  if (req.exitCode !== undefined) t.exitCode = req.exitCode;
  if (t.phase === "PROVISIONING" || t.phase === "PENDING" || t.phase === "ACTIVATING") t.phase = "STOPPING";
  else if (t.phase === "RUNNING") t.phase = "DEACTIVATING";
}

/**
 * Advance t to `now`. `lbBound` says whether draining is handled by the target module (which sets deactivatedAt);
 * otherwise DEACTIVATING lasts a few seconds.
 */
export function advanceTask(t: SimTask, now: number, scaled: (s: number) => number, lbBound: boolean): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  for (let guard = 0; guard < 8; guard++) {
    const before = t.phase;
    // ECS gives up on a task it cannot start (role, secrets, image pull): it never reaches RUNNING.
    const f = t.startFailure;
    if (f && t.desiredStatus === "RUNNING" && (t.phase === "PROVISIONING" || t.phase === "PENDING") && now >= f.at) {
      requestStop(t, now, { reason: f.reason, stopCode: f.stopCode });
      t.stoppingUntil = now + scaled(1);
      events.push("crashed");
      continue;
    }
    switch (t.phase) {
      case "PROVISIONING":
        if (now >= t.pendingAt) t.phase = "PENDING";
        break;
      case "PENDING":
      case "ACTIVATING":
        if (now >= t.runningAt) {
          t.phase = "RUNNING";
          t.startedAt = t.runningAt;
          if (t.failing) t.failAt = t.runningAt + scaled(AWS_SECONDS.crashAfterRunning);
          events.push("running");
        }
        break;
      case "RUNNING":
        if (t.desiredStatus === "RUNNING" && t.failing && t.failAt !== undefined && now >= t.failAt) {
          requestStop(t, now, { reason: "Essential container in task exited", stopCode: "EssentialContainerExited", exitCode: 1 });
          // A crashed container has nothing to drain.
          t.phase = "STOPPING";
          t.stoppingUntil = now + scaled(1);
          events.push("crashed");
        }
        break;
      case "DEACTIVATING": {
        const until = lbBound ? t.deactivatedAt : (t.stoppingAt ?? now) + scaled(AWS_SECONDS.deactivatingNoLb);
        if (until !== undefined && now >= until) {
          t.phase = "STOPPING";
          t.stoppingUntil = now + scaled(AWS_SECONDS.stopping);
        }
        break;
      }
      case "STOPPING":
        if (t.stoppingUntil === undefined) t.stoppingUntil = now + scaled(AWS_SECONDS.stopping);
        if (now >= t.stoppingUntil) t.phase = "DEPROVISIONING";
        break;
      case "DEPROVISIONING":
        if (now >= (t.stoppingUntil ?? now) + scaled(AWS_SECONDS.deprovisioning)) {
          t.phase = "STOPPED";
          t.stoppedAt = now;
          if (t.exitCode === undefined) t.exitCode = t.stopCode === "EssentialContainerExited" ? 1 : 0;
          events.push("stopped");
        }
        break;
      case "STOPPED":
        break;
    }
    if (t.phase === before) break;
  }
  return events;
}

/** Live = the scheduler still counts it (desired RUNNING). */
export const isLive = (t: SimTask) => t.desiredStatus === "RUNNING";
