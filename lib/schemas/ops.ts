import { z } from "zod";
import { ENV_NAME_PATTERN } from "@/lib/names";
import { desiredCountMessages as m, MAX_DESIRED_COUNT } from "@/lib/ops/desired-count";

// Isomorphic: the inputs of the operations actions (scale, restart, stop task, roll back). The server parses them
// in defineAction; the forms use the same schemas for instant field messages.

export { MAX_DESIRED_COUNT };

const env = z.string({ error: "Stack name is required" }).regex(ENV_NAME_PATTERN, { error: "Not a stack name" });
const service = z.enum(["server", "worker"], { error: "Service is server or worker" });

export const scaleServiceSchema = z.object({
  env,
  service,
  desiredCount: z.number({ error: m.number }).int({ error: m.int }).min(0, { error: m.min }).max(MAX_DESIRED_COUNT, { error: m.max }),
});

export const restartServiceSchema = z.object({ env, service });
export const rollbackDeploymentSchema = z.object({ env, service });

export const stopTaskSchema = z.object({
  env,
  // ECS task ids are 32 hex characters on AWS; other ECS implementations use UUIDs. Either way: no slashes, ≤ 64.
  taskId: z.string({ error: "Task id is required" }).regex(/^[A-Za-z0-9-]{1,64}$/, { error: "Not an ECS task id" }),
});

export type ScaleServiceInput = z.infer<typeof scaleServiceSchema>;
export type RestartServiceInput = z.infer<typeof restartServiceSchema>;
export type RollbackDeploymentInput = z.infer<typeof rollbackDeploymentSchema>;
export type StopTaskInput = z.infer<typeof stopTaskSchema>;
