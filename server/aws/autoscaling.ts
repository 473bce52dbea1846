import "server-only";
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  RegisterScalableTargetCommand,
  type ScalableTarget,
  type ScalingActivity,
} from "@aws-sdk/client-application-auto-scaling";
import { awsClient } from "./client";
import { aws } from "./errors";

// Thin Application Auto Scaling wrappers (ECS service desired count). Several engineers add functions here.

// This client package pins an older @smithy/types than the others, so its generic signature does not line up with
// awsClient's; the runtime object is an ordinary SDK v3 client (same middleware stack, same counter).
const aas = (region: string): ApplicationAutoScalingClient =>
  awsClient(ApplicationAutoScalingClient as never, region) as unknown as ApplicationAutoScalingClient;

/** The resource id Application Auto Scaling uses for an ECS service. */
export const ecsServiceResourceId = (cluster: string, service: string) => `service/${cluster}/${service}`;

// aws application-autoscaling describe-scalable-targets --service-namespace ecs --resource-ids R…  (≤ 50 ids per call)
export async function describeScalableTargets(region: string, resourceIds: string[]): Promise<ScalableTarget[]> {
  const out = await aws("application-autoscaling:DescribeScalableTargets", resourceIds.join(", "), () =>
    aas(region).send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: resourceIds.slice(0, 50) })),
  );
  return out.ScalableTargets ?? [];
}

// aws application-autoscaling describe-scaling-activities --service-namespace ecs --resource-id R  (≤ 50 per page)
export async function describeScalingActivities(region: string, resourceId: string, maxResults = 50): Promise<ScalingActivity[]> {
  const out = await aws("application-autoscaling:DescribeScalingActivities", resourceId, () =>
    aas(region).send(
      new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs", ResourceId: resourceId, MaxResults: Math.min(maxResults, 50) }),
    ),
  );
  return out.ScalingActivities ?? [];
}

// aws application-autoscaling register-scalable-target --service-namespace ecs --resource-id R
//   --scalable-dimension ecs:service:DesiredCount --suspended-state …
// Used to pause (and resume) dynamic scaling when an operator pauses the worker at 0.
export async function setScalingSuspended(region: string, resourceId: string, suspended: boolean): Promise<void> {
  await aws("application-autoscaling:RegisterScalableTarget", resourceId, () =>
    aas(region).send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
        SuspendedState: {
          DynamicScalingInSuspended: suspended,
          DynamicScalingOutSuspended: suspended,
          ScheduledScalingSuspended: suspended,
        },
      }),
    ),
  );
}

// ── Provisioning (server/stack) ────────────────────────────────────────────────────────────────────────────────
import {
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  type RegisterScalableTargetCommandInput,
  type ScalingPolicy,
} from "@aws-sdk/client-application-auto-scaling";

// aws application-autoscaling register-scalable-target --service-namespace ecs --resource-id R --min-capacity … --max-capacity …
export async function registerScalableTarget(region: string, input: RegisterScalableTargetCommandInput): Promise<void> {
  await aws("application-autoscaling:RegisterScalableTarget", input.ResourceId ?? "target", () =>
    aas(region).send(new RegisterScalableTargetCommand(input)),
  );
}
// aws application-autoscaling describe-scaling-policies --service-namespace ecs --resource-id R
export async function describeScalingPolicies(region: string, resourceId: string): Promise<ScalingPolicy[]> {
  const out = await aws("application-autoscaling:DescribeScalingPolicies", resourceId, () =>
    aas(region).send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs", ResourceId: resourceId })),
  );
  return out.ScalingPolicies ?? [];
}
// aws application-autoscaling put-scaling-policy --policy-type TargetTrackingScaling …  (create or replace by name)
export async function putScalingPolicy(region: string, input: PutScalingPolicyCommandInput): Promise<void> {
  await aws("application-autoscaling:PutScalingPolicy", input.PolicyName ?? "policy", () =>
    aas(region).send(new PutScalingPolicyCommand(input)),
  );
}
export async function deleteScalingPolicy(region: string, resourceId: string, policyName: string): Promise<void> {
  try {
    await aas(region).send(
      new DeleteScalingPolicyCommand({
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyName: policyName,
      }),
    );
  } catch (err) {
    if (/ObjectNotFound|NotFound/.test(String((err as { name?: string }).name))) return;
    await aws("application-autoscaling:DeleteScalingPolicy", resourceId, () => Promise.reject(err));
  }
}
export async function deregisterScalableTarget(region: string, resourceId: string): Promise<void> {
  try {
    await aas(region).send(
      new DeregisterScalableTargetCommand({
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
      }),
    );
  } catch (err) {
    if (/ObjectNotFound|NotFound/.test(String((err as { name?: string }).name))) return;
    await aws("application-autoscaling:DeregisterScalableTarget", resourceId, () => Promise.reject(err));
  }
}
