import { afterEach, describe, expect, it } from "vitest";
import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeClustersCommand, DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { adminConfig, sandboxAdmin, sandboxClients } from "@/test/fixtures/sandbox";
import { cleanupStacks, minimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";

describe("ECS service auto scaling", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();
  const aas = new ApplicationAutoScalingClient(adminConfig());

  it("target tracking on CPU scales the worker service out to max when CPU is high and back in", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-worker", s.workerTaskDef, 1);
    const resourceId = `service/${s.cluster}/prefect-worker`;
    await aas.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: 1,
        MaxCapacity: 3,
      }),
    );
    const policy = await aas.send(
      new PutScalingPolicyCommand({
        PolicyName: "worker-cpu",
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" },
          ScaleOutCooldown: 60,
          ScaleInCooldown: 60,
        },
      }),
    );
    const describe1 = async () =>
      (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-worker"] }))).services?.[0];
    await until("1 running", async () => (await describe1())?.runningCount === 1 || undefined);
    await sandboxAdmin("/cpu", "POST", { cluster: s.cluster, service: "prefect-worker", percent: 95 });
    await until("scaled out to 3 running", async () => {
      const svc = await describe1();
      return (svc?.desiredCount === 3 && svc.runningCount === 3) || undefined;
    });
    const cluster = (await c.ecs.send(new DescribeClustersCommand({ clusters: [s.cluster] }))).clusters?.[0];
    expect(cluster?.runningTasksCount).toBe(3);
    await sandboxAdmin("/cpu", "POST", { cluster: s.cluster, service: "prefect-worker", percent: null });
    await until("scaled back in to 1", async () => (await describe1())?.desiredCount === 1 || undefined);

    // The policy's TargetTracking alarms carry AWS's thresholds (moto creates them with a placeholder).
    const names = (policy.Alarms ?? []).map((a) => a.AlarmName ?? "");
    const alarms = (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: names }))).MetricAlarms ?? [];
    expect(alarms.map((a) => a.Threshold).sort()).toEqual([45, 50]);

    // Each decision is a scaling activity, newest first, worded as Application Auto Scaling words it.
    const activities =
      (await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs", ResourceId: resourceId }))).ScalingActivities ?? [];
    expect(activities.length).toBeGreaterThanOrEqual(2);
    expect(activities[0]).toMatchObject({
      ResourceId: resourceId,
      ScalableDimension: "ecs:service:DesiredCount",
      Description: "Setting desired count to 1.",
      StatusCode: "Successful",
      StatusMessage: "Successfully set desired count to 1. Change successfully fulfilled by ecs.",
    });
    expect(activities[0]?.Cause).toMatch(/^monitor alarm TargetTracking-.*-AlarmLow-.* in state ALARM triggered policy worker-cpu$/);
    expect(activities.some((a) => a.Description === "Setting desired count to 3." || a.Description === "Setting desired count to 2.")).toBe(
      true,
    );
    expect(activities[0]?.StartTime).toBeInstanceOf(Date);
    const other = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs", ResourceId: `${resourceId}-other` }));
    expect(other.ScalingActivities).toEqual([]);
    await expect(aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs", MaxResults: 51 }))).rejects.toThrow(/maxResults/);
  });
});
