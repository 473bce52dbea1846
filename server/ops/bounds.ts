// Isomorphic (no server-only): the UI shows the same bounds the server enforces.
import { MAX_DESIRED_COUNT } from "@/lib/ops-limits";
import type { ScalingDto, ServiceRole } from "@/lib/ops/types";

export interface ScaleBounds {
  min: number;
  max: number;
  /** Worker at 0 = paused (auto scaling is suspended meanwhile). */
  pauseAllowed: boolean;
  /** Where the bounds come from, for the message. */
  source: "auto-scaling" | "console";
}

/** Without an auto-scaling target: server 1…10 (the spec's range), worker 0…50. */
const DEFAULT_MAX: Record<ServiceRole, number> = { server: 10, worker: 50 };

export function scaleBounds(role: ServiceRole, scalable: Pick<ScalingDto, "min" | "max"> | undefined): ScaleBounds {
  if (scalable)
    return {
      min: Math.max(scalable.min, role === "server" ? 1 : 0),
      max: Math.min(scalable.max, MAX_DESIRED_COUNT),
      pauseAllowed: role === "worker",
      source: "auto-scaling",
    };
  return { min: role === "server" ? 1 : 0, max: DEFAULT_MAX[role], pauseAllowed: role === "worker", source: "console" };
}

/** The message for an out-of-range desired count, or null when it is allowed. */
export function checkDesiredCount(role: ServiceRole, desired: number, b: ScaleBounds): string | null {
  if (desired === 0 && b.pauseAllowed) return null;
  if (desired === 0 && role === "server")
    return "The server needs at least 1 task: the Prefect API and UI run on it. To stop the stack entirely, destroy it.";
  if (desired < b.min || desired > b.max) {
    const range = `${b.min}–${b.max}`;
    const pause = b.pauseAllowed && b.min > 0 ? " (or 0 to pause the worker)" : "";
    return b.source === "auto-scaling"
      ? `The ${role} desired count must be within its auto-scaling range ${range}${pause}; auto scaling would undo anything outside it. Change the range under Settings.`
      : `The ${role} desired count must be between ${range}${pause}.`;
  }
  return null;
}
