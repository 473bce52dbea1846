// Isomorphic: the numeric limits of a stack, beside the StackSpec schema (lib/stack-spec.ts) that enforces them.
// Everything else reads them from here: the provisioning form's hints, the operations schemas and scale bounds
// (lib/ops/desired-count.ts) and adopt's clamping of what it reads back from AWS (server/stack/adopt.ts).
import { FARGATE_CPU_OPTIONS } from "./fargate";

export interface Range {
  readonly min: number;
  readonly max: number;
}

const memories = FARGATE_CPU_OPTIONS.flatMap((o) => o.memories);
/** Fargate task memory, MiB: 512 (0.25 vCPU) … 122880 (16 vCPU); the CPU decides which values in between. */
const TASK_MEMORY: Range = { min: Math.min(...memories), max: Math.max(...memories) };

/**
 * Task counts are the console's contract, not AWS's: ECS allows 5,000 tasks per service (an adjustable quota) and
 * the account's Fargate vCPU quota usually binds long before that. The Prefect server is exactly one task (more
 * need Redis and a separate background-services process: lib/stack-spec.ts, SERVER_COUNT_WHY); the worker is scaled
 * by Application Auto Scaling within min…max.
 */
export const SPEC_LIMITS = {
  serverDesiredCount: { min: 1, max: 1 },
  serverMemory: TASK_MEMORY,
  workerMemory: TASK_MEMORY,
  workerMinCount: { min: 0, max: 50 },
  workerDesiredCount: { min: 0, max: 50 },
  workerMaxCount: { min: 1, max: 50 },
  workerCpuTarget: { min: 10, max: 90 },
  // RDS for PostgreSQL on gp3: at least 20 GiB. MaxAllocatedStorage (storage autoscaling) goes to 65,536 GiB; 0 = off.
  dbAllocatedStorage: { min: 20, max: 16384 },
  dbMaxAllocatedStorage: { min: 0, max: 65536 },
  // RDS: BackupRetentionPeriod 0…35 days; 0 disables automated backups, which a production stack does not allow.
  dbBackupRetentionDays: { min: 1, max: 35 },
  cpuAlarmThreshold: { min: 1, max: 100 },
} as const satisfies Record<string, Range>;

/** "1–10": the range as the form shows it next to a field. */
export function rangeHint(r: Range): string {
  return `${r.min}–${r.max}`;
}

/** The nearest value inside the range (adopt: what AWS reports may lie outside the console's contract). */
export function clampTo(r: Range, n: number): number {
  return Math.min(r.max, Math.max(r.min, n));
}
