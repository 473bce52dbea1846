import "server-only";
import type { Deployment } from "@aws-sdk/client-ecs";
import { stackNames } from "@/lib/names";
import type { RollbackDeploymentInput } from "@/lib/schemas/ops";
import { UserError } from "@/server/actions/errors";
import { describeServices, describeTaskDefinition, updateService } from "@/server/aws/ecs";
import { classifyAwsError } from "@/server/aws/errors";
import type { Db } from "@/server/db";
import { needsRollback } from "@/lib/ops/rollout-state";
import { opsStack, serviceNameOf } from "./stack-context";

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
  const stack = await opsStack(db, input.env);
  const { cluster } = stackNames(input.env);
  const name = serviceNameOf(input.env, input.service);
  const { services } = await describeServices(stack.region, cluster, [name]);
  const svc = services[0];
  if (!svc) throw new UserError(`The service ${name} does not exist in ${cluster}.`);
  const primary = svc.deployments?.find((d) => d.status === "PRIMARY");
  if (!isFailedRollout(primary, { running: svc.runningCount ?? 0, desired: svc.desiredCount ?? 0 }))
    throw new UserError(`${name}'s current deployment has not failed; there is nothing to roll back.`);
  const primaryTd = primary?.taskDefinition ?? svc.taskDefinition ?? "";
  const to = await rollbackTarget(stack.region, svc.deployments ?? [], primaryTd);
  if (!to) throw new UserError(`No earlier completed deployment of ${name} was found to roll back to.`);
  await updateService(stack.region, cluster, name, { taskDefinition: to });
  return { service: name, from: tdName(primaryTd), to: tdName(to) };
}
