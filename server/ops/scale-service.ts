import "server-only";
import { stackNames } from "@/lib/names";
import type { ScaleServiceInput } from "@/lib/schemas/ops";
import { UserError } from "@/server/actions/errors";
import { describeScalableTargets, ecsServiceResourceId, setScalingSuspended } from "@/server/aws/autoscaling";
import { describeServices, updateService } from "@/server/aws/ecs";
import type { Db } from "@/server/db";
import { checkDesiredCount, scaleBounds } from "@/lib/ops/desired-count";
import { opsStack, serviceNameOf } from "./stack-context";

export interface ScaleResult {
  service: string;
  from: number;
  to: number;
  autoScaling: "none" | "unchanged" | "suspended";
}

// aws ecs update-service --cluster prefect-<env> --service prefect-worker --desired-count N
// Bounded by the service's auto-scaling range (DescribeScalableTargets). On an auto-scaled service a target-tracking
// policy would undo a manual count within minutes (scale-in after its cooldown), so the manual count suspends
// dynamic scaling (RegisterScalableTarget SuspendedState) until the operator resumes it (resume-autoscaling.ts);
// worker at 0 = pause. The card shows "auto scaling suspended" meanwhile.
export async function scaleService(db: Db, input: ScaleServiceInput): Promise<ScaleResult> {
  const stack = await opsStack(db, input.env);
  const { cluster } = stackNames(input.env);
  const name = serviceNameOf(input.env, input.service);
  const resourceId = ecsServiceResourceId(cluster, name);
  const [{ services }, targets] = await Promise.all([
    describeServices(stack.region, cluster, [name]),
    describeScalableTargets(stack.region, [resourceId]),
  ]);
  const svc = services[0];
  if (!svc) throw new UserError(`The service ${name} does not exist in ${cluster}.`);
  const target = targets.find((t) => t.ResourceId === resourceId);
  const bounds = scaleBounds(input.service, target ? { min: target.MinCapacity ?? 0, max: target.MaxCapacity ?? 0 } : undefined);
  const problem = checkDesiredCount(input.service, input.desiredCount, bounds);
  if (problem) throw new UserError(problem, { desiredCount: [problem] });

  let autoScaling: ScaleResult["autoScaling"] = target ? "unchanged" : "none";
  const suspended = Boolean(target?.SuspendedState?.DynamicScalingInSuspended || target?.SuspendedState?.DynamicScalingOutSuspended);
  if (target && !suspended) {
    await setScalingSuspended(stack.region, resourceId, true);
    autoScaling = "suspended";
  }
  await updateService(stack.region, cluster, name, { desiredCount: input.desiredCount });
  return { service: name, from: svc.desiredCount ?? 0, to: input.desiredCount, autoScaling };
}
