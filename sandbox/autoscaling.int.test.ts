import { afterEach, describe, expect, it } from "vitest";
import {
  ApplicationAutoScalingClient,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeClustersCommand, DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { minimalStack, cleanupStacks } from "@/test/fixtures/stack";
import { sandboxAdmin, sandboxClients, sandboxEnv } from "@/test/fixtures/sandbox";
import { until } from "@/test/until";

describe("ECS service auto scaling", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();
  const aas = new ApplicationAutoScalingClient({ region: sandboxEnv("AWS_REGION"), endpoint: sandboxEnv("AWS_ENDPOINT_URL") });

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
  });
});
