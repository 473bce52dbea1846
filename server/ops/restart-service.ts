import "server-only";
import { stackNames } from "@/lib/names";
import type { RestartServiceInput } from "@/lib/schemas/ops";
import { UserError } from "@/server/errors";
import { describeServices, updateService } from "@/server/aws/ecs";
import type { Db } from "@/server/db";
import { opsStack, serviceNameOf } from "./stack-context";

export interface RestartResult {
  service: string;
  deploymentId: string | null;
}

// aws ecs update-service --cluster prefect-<env> --service S --force-new-deployment
// Starts a rolling deployment of the same task definition: new tasks start, pass health checks, old ones drain.
export async function restartService(db: Db, input: RestartServiceInput): Promise<RestartResult> {
  const stack = await opsStack(db, input.env);
  const { cluster } = stackNames(input.env);
  const name = serviceNameOf(input.env, input.service);
  const { services } = await describeServices(stack.region, cluster, [name]);
  const svc = services[0];
  if (!svc) throw new UserError(`The service ${name} does not exist in ${cluster}.`);
  if ((svc.desiredCount ?? 0) === 0) throw new UserError(`${name} has no tasks to restart (desired count 0). Scale it up instead.`);
  const updated = await updateService(stack.region, cluster, name, { forceNewDeployment: true });
  const primary = updated?.deployments?.find((d) => d.status === "PRIMARY");
  return { service: name, deploymentId: primary?.id ?? null };
}
