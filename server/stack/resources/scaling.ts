import "server-only";
import type {
  PutScalingPolicyCommandInput,
  RegisterScalableTargetCommandInput,
  ScalableTarget,
  ScalingPolicy,
} from "@aws-sdk/client-application-auto-scaling";
import { workerScalingPolicyName } from "@/lib/stack-names";
import {
  deleteScalingPolicy,
  deregisterScalableTarget,
  describeScalableTargets,
  describeScalingPolicies,
  ecsServiceResourceId,
  putScalingPolicy,
  registerScalableTarget,
} from "@/server/aws/autoscaling";
import { defineResource, diffOf, valueChange } from "../types";

// Worker auto scaling ("Configure auto-scaling" in the seed): a scalable target on the worker service's desired
// count (min..max) and a target-tracking policy on average CPU.

interface ScalingDesired {
  target: RegisterScalableTargetCommandInput;
  policy: PutScalingPolicyCommandInput;
}
interface ScalingObserved {
  target: ScalableTarget;
  policy: ScalingPolicy | undefined;
}

export const workerScaling = defineResource<ScalingDesired, ScalingObserved>({
  key: "worker-scaling",
  kind: "auto scaling",
  group: "compute",
  dependsOn: ["service-worker"],
  name: (ctx) => workerScalingPolicyName(ctx.env),
  desired: (ctx) => {
    const resourceId = ecsServiceResourceId(ctx.names.cluster, ctx.names.workerService);
    return {
      target: {
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: ctx.spec.workerMinCount,
        MaxCapacity: ctx.spec.workerMaxCount,
      },
      policy: {
        PolicyName: workerScalingPolicyName(ctx.env),
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: ctx.spec.workerCpuTarget,
          PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" },
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
        },
      },
    };
  },
  observe: async (ctx) => {
    const resourceId = ecsServiceResourceId(ctx.names.cluster, ctx.names.workerService);
    const [target] = await describeScalableTargets(ctx.region, [resourceId]);
    if (!target) return undefined;
    const policy = (await describeScalingPolicies(ctx.region, resourceId)).find((p) => p.PolicyName === workerScalingPolicyName(ctx.env));
    return { target, policy };
  },
  diff: (d, o) =>
    diffOf([
      valueChange("minimum", d.target.MinCapacity, o.target.MinCapacity),
      valueChange("maximum", d.target.MaxCapacity, o.target.MaxCapacity),
      valueChange(
        "CPU target (%)",
        d.policy.TargetTrackingScalingPolicyConfiguration?.TargetValue,
        o.policy?.TargetTrackingScalingPolicyConfiguration?.TargetValue ?? "(no policy)",
      ),
    ]),
  create: async (ctx, d) => {
    await registerScalableTarget(ctx.region, d.target);
    await putScalingPolicy(ctx.region, d.policy);
  },
  update: async (ctx, d) => {
    await registerScalableTarget(ctx.region, d.target);
    await putScalingPolicy(ctx.region, d.policy);
  },
  delete: async (ctx, o) => {
    if (o.policy?.PolicyName) await deleteScalingPolicy(ctx.region, o.target.ResourceId ?? "", o.policy.PolicyName);
    await deregisterScalableTarget(ctx.region, o.target.ResourceId ?? "");
  },
  ready: () => true,
  outputs: (o) => ({ resourceId: o.target.ResourceId ?? "" }),
  status: (o) => `${o.target.MinCapacity}–${o.target.MaxCapacity} tasks`,
});
