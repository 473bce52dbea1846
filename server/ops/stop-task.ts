import "server-only";
import type { StopTaskInput } from "@/lib/schemas/ops";
import { UserError } from "@/server/errors";
import { describeTasks, stopTask } from "@/server/aws/ecs";
import type { Db } from "@/server/db";
import { opsStack } from "./stack-context";

export interface StopTaskResult {
  taskId: string;
  service: string;
}

// aws ecs stop-task --cluster prefect-<env> --task ID --reason "Stopped from the console by …"
// Only a task of one of this stack's services may be stopped (the service then starts a replacement).
export async function stopStackTask(db: Db, input: StopTaskInput, actorEmail: string): Promise<StopTaskResult> {
  const { region, names: n } = await opsStack(db, input.env);
  const [task] = await describeTasks(region, n.cluster, [input.taskId]);
  const group = task?.group ?? "";
  const service = group.startsWith("service:") ? group.slice("service:".length) : "";
  if (!task || ![n.serverService, n.workerService].includes(service))
    throw new UserError(`Task ${input.taskId} is not a task of ${input.env}'s server or worker.`);
  if (task.lastStatus === "STOPPED" || task.desiredStatus === "STOPPED")
    throw new UserError(`Task ${input.taskId} is already stopping or stopped.`);
  await stopTask(region, n.cluster, task.taskArn ?? input.taskId, `Stopped from the Prefect ECS Console by ${actorEmail}`);
  return { taskId: input.taskId, service };
}
