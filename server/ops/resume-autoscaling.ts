import "server-only";
import type { RestartServiceInput } from "@/lib/schemas/ops";
import { UserError } from "@/server/errors";
import { describeScalableTargets, ecsServiceResourceId, setScalingSuspended } from "@/server/aws/autoscaling";
import type { Db } from "@/server/db";
import { opsStack, serviceNameOf } from "./stack-context";

// aws application-autoscaling register-scalable-target --service-namespace ecs --resource-id service/C/S
//   --scalable-dimension ecs:service:DesiredCount --suspended-state DynamicScalingInSuspended=false,…
// Hands the desired count back to the target-tracking policy after a manual scale (or a pause at 0).
export async function resumeAutoScaling(db: Db, input: RestartServiceInput): Promise<{ service: string }> {
  const { region, names } = await opsStack(db, input.env);
  const name = serviceNameOf(input.env, input.service);
  const resourceId = ecsServiceResourceId(names.cluster, name);
  const [target] = await describeScalableTargets(region, [resourceId]);
  if (!target) throw new UserError(`${name} has no auto scaling to resume.`);
  await setScalingSuspended(region, resourceId, false);
  return { service: name };
}
