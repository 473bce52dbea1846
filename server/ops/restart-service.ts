import "server-only";
import type { RestartServiceInput } from "@/lib/schemas/ops";
import { UserError } from "@/server/errors";
import { updateService } from "@/server/aws/ecs";
import type { Db } from "@/server/db";
import { opsService } from "./stack-context";

export interface RestartResult {
  service: string;
  deploymentId: string | null;
}

// aws ecs update-service --cluster prefect-<env> --service S --force-new-deployment
// Starts a rolling deployment of the same task definition: new tasks start, pass health checks, old ones drain.
export async function restartService(db: Db, input: RestartServiceInput): Promise<RestartResult> {
  const { region, names, name, service: svc } = await opsService(db, input.env, input.service);
  if ((svc.desiredCount ?? 0) === 0) throw new UserError(`${name} has no tasks to restart (desired count 0). Scale it up instead.`);
  const updated = await updateService(region, names.cluster, name, { forceNewDeployment: true });
  const primary = updated?.deployments?.find((d) => d.status === "PRIMARY");
  return { service: name, deploymentId: primary?.id ?? null };
}
