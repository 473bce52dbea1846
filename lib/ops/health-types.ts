// Isomorphic: the stacks list's health summary of one stack.
import type { Panel } from "./types";

export interface StackHealthSummary {
  env: string;
  services: Panel<{ count: number; steady: number; running: number; desired: number }>;
  targets: Panel<{ healthy: number; total: number }>;
  alarms: Panel<{ firing: string[]; total: number }>;
  /** ok = steady, healthy, nothing firing; pending = converging; failed = firing alarm, no healthy target or unreadable. */
  tone: "ok" | "pending" | "failed" | "neutral";
}
