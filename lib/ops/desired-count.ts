// Isomorphic and zod-free (the stack page's bundle stays small): what a desired count typed into the console may be.
// The numbers are the StackSpec's (lib/stack-limits.ts); lib/schemas/ops.ts builds the server's zod schema from the
// same constant and words, and the server's scale service checks the same bounds the service card shows.
import { rangeHint, SPEC_LIMITS, type Range } from "../stack-limits";
import type { ScalingDto, ServiceRole } from "./types";

/** The console-side range of each service's desired count: the same as the provisioning form allows. */
export const DESIRED_COUNT_LIMITS: Record<ServiceRole, Range> = {
  server: SPEC_LIMITS.serverDesiredCount,
  worker: SPEC_LIMITS.workerDesiredCount,
};

/** The ceiling for any desired count (the scale schema's max); the role's own range, or auto scaling's, binds first. */
export const MAX_DESIRED_COUNT = Math.max(DESIRED_COUNT_LIMITS.server.max, DESIRED_COUNT_LIMITS.worker.max);

export const desiredCountMessages = {
  number: "Desired count must be a number",
  int: "Desired count must be a whole number",
  min: "Desired count cannot be negative",
  max: `Desired count must be at most ${MAX_DESIRED_COUNT}`,
} as const;

/** The same verdict as the server's schema for one desired count, or null when the value is acceptable. */
export function desiredCountError(n: number): string | null {
  if (typeof n !== "number" || Number.isNaN(n)) return desiredCountMessages.number;
  if (!Number.isInteger(n)) return desiredCountMessages.int;
  if (n < 0) return desiredCountMessages.min;
  if (n > MAX_DESIRED_COUNT) return desiredCountMessages.max;
  return null;
}

export interface ScaleBounds {
  min: number;
  max: number;
  /** Worker at 0 = paused (auto scaling is suspended meanwhile). */
  pauseAllowed: boolean;
  /** Where the bounds come from, for the message. */
  source: "auto-scaling" | "console";
}

/** The service's auto-scaling range when it has one (clipped to the console's), else the console's range. */
export function scaleBounds(role: ServiceRole, scalable: Pick<ScalingDto, "min" | "max"> | undefined): ScaleBounds {
  const limits = DESIRED_COUNT_LIMITS[role];
  const pauseAllowed = role === "worker";
  if (scalable)
    return {
      min: Math.max(scalable.min, limits.min),
      max: Math.min(scalable.max, limits.max),
      pauseAllowed,
      source: "auto-scaling",
    };
  return { min: limits.min, max: limits.max, pauseAllowed, source: "console" };
}

/** The message for an out-of-range desired count, or null when it is allowed. */
export function checkDesiredCount(role: ServiceRole, desired: number, b: ScaleBounds): string | null {
  if (desired === 0 && b.pauseAllowed) return null;
  if (desired === 0 && role === "server")
    return "The server needs at least 1 task: the Prefect API and UI run on it. To stop the stack entirely, destroy it.";
  if (role === "server" && b.min === b.max && desired !== b.min)
    return `The server runs exactly ${b.min} task: more than one Prefect API server needs Redis and a separate services process.`;
  if (desired < b.min || desired > b.max) {
    const range = rangeHint(b);
    const pause = b.pauseAllowed && b.min > 0 ? " (or 0 to pause the worker)" : "";
    return b.source === "auto-scaling"
      ? `The ${role} desired count must be within its auto-scaling range ${range}${pause}; auto scaling would undo anything outside it. Change the range under Settings.`
      : `The ${role} desired count must be between ${range}${pause}.`;
  }
  return null;
}
