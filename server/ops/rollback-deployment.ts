import "server-only";
import type { Deployment } from "@aws-sdk/client-ecs";
import type { RollbackDeploymentInput } from "@/lib/schemas/ops";
import { UserError } from "@/server/errors";
import { describeTaskDefinition, updateService } from "@/server/aws/ecs";
import { classifyAwsError } from "@/server/aws/errors";
import type { Db } from "@/server/db";
import { needsRollback } from "@/lib/ops/rollout-state";
import { opsService } from "./stack-context";

export interface RollbackResult {
  service: string;
  from: string;
  to: string;
}

const tdName = (arn: string) => arn.split("/").pop() ?? arn;

/** A deployment that needs a rollback (see rollout-state.ts), from the SDK's shapes. */
export function isFailedRollout(
  primary: Pick<Deployment, "rolloutState" | "failedTasks"> | undefined,
  service: { running: number; desired: number } = { running: 0, desired: 0 },
): boolean {
  return needsRollback(primary, service);
}

/**
 * Which task definition to return to: the newest ACTIVE deployment whose rollout COMPLETED (ECS keeps it while the
 * failed one has not replaced it); failing that, the previous revision of the same family, if it still exists.
 */
export async function rollbackTarget(region: string, deployments: Deployment[], primaryTd: string): Promise<string | null> {
  const completed = deployments
    .filter((d) => d.status !== "PRIMARY" && d.rolloutState === "COMPLETED" && d.taskDefinition && d.taskDefinition !== primaryTd)
    .sort((a, b) => new Date(b.createdAt ?? 0).getTime() - new Date(a.createdAt ?? 0).getTime())[0];
  if (completed?.taskDefinition) return completed.taskDefinition;
  const m = /^(.*):(\d+)$/.exec(primaryTd);
  if (!m || Number(m[2]) <= 1) return null;
  const previous = `${m[1]}:${Number(m[2]) - 1}`;
  try {
    return (await describeTaskDefinition(region, previous)).taskDefinitionArn ?? previous;
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found" || classifyAwsError(err).kind === "invalid") return null;
    throw err;
  }
}

// aws ecs update-service --cluster prefect-<env> --service S --task-definition <last completed family:revision>
export async function rollbackDeployment(db: Db, input: RollbackDeploymentInput): Promise<RollbackResult> {
  const { region, names, name, service: svc } = await opsService(db, input.env, input.service);
  const primary = svc.deployments?.find((d) => d.status === "PRIMARY");
  if (!isFailedRollout(primary, { running: svc.runningCount ?? 0, desired: svc.desiredCount ?? 0 }))
    throw new UserError(`${name}'s current deployment has not failed; there is nothing to roll back.`);
  const primaryTd = primary?.taskDefinition ?? svc.taskDefinition ?? "";
  const to = await rollbackTarget(region, svc.deployments ?? [], primaryTd);
  if (!to) throw new UserError(`No earlier completed deployment of ${name} was found to roll back to.`);
  await updateService(region, names.cluster, name, { taskDefinition: to });
  return { service: name, from: tdName(primaryTd), to: tdName(to) };
}
