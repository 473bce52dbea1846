import "server-only";
import type { MetricAlarm, PutMetricAlarmCommandInput } from "@aws-sdk/client-cloudwatch";
import { stackAlarmNames } from "@/lib/stack-names";
import { stackTags } from "@/lib/names";
import { deleteAlarms, describeAlarmsByName, putMetricAlarm } from "@/server/aws/cloudwatch-alarms";
import type { FieldChange } from "@/lib/plan";
import { defineResource, ref, tagList, UNKNOWN, type Refs, type StackContext } from "../types";

// CloudWatch alarms: the seed's `prefect-high-cpu-<env>` (server CPU > threshold, 2 × 5 min) plus server/worker
// memory and worker CPU, ALB target 5xx and unhealthy hosts, RDS CPU and free storage. Actions go to the optional
// SNS topic. PutMetricAlarm creates or replaces by name, so create and update are the same idempotent call.

export function alarmInputs(ctx: StackContext, refs: Refs): PutMetricAlarmCommandInput[] {
  const n = stackAlarmNames(ctx.env);
  const actions = ctx.spec.snsTopicArn
    ? { AlarmActions: [ctx.spec.snsTopicArn], OKActions: [ctx.spec.snsTopicArn] }
    : { AlarmActions: [], OKActions: [] };
  const tags = tagList(stackTags(ctx.env, "monitoring"));
  const ecs = (service: string) => [
    { Name: "ClusterName", Value: ctx.names.cluster },
    { Name: "ServiceName", Value: service },
  ];
  const lb = ref(refs, "alb", "arnSuffix");
  const tg = ref(refs, "target-group", "arnSuffix");
  const base = {
    EvaluationPeriods: 2,
    Period: 300,
    Statistic: "Average" as const,
    ComparisonOperator: "GreaterThanThreshold" as const,
    TreatMissingData: "missing",
    ...actions,
    Tags: tags,
  };
  return [
    {
      ...base,
      AlarmName: n.serverCpu,
      AlarmDescription: "Prefect server CPU above threshold",
      Namespace: "AWS/ECS",
      MetricName: "CPUUtilization",
      Dimensions: ecs(ctx.names.serverService),
      Threshold: ctx.spec.cpuAlarmThreshold,
    },
    {
      ...base,
      AlarmName: n.serverMemory,
      AlarmDescription: "Prefect server memory above 85%",
      Namespace: "AWS/ECS",
      MetricName: "MemoryUtilization",
      Dimensions: ecs(ctx.names.serverService),
      Threshold: 85,
    },
    {
      ...base,
      AlarmName: n.workerCpu,
      AlarmDescription: "Prefect worker CPU above threshold",
      Namespace: "AWS/ECS",
      MetricName: "CPUUtilization",
      Dimensions: ecs(ctx.names.workerService),
      Threshold: ctx.spec.cpuAlarmThreshold,
    },
    {
      ...base,
      AlarmName: n.workerMemory,
      AlarmDescription: "Prefect worker memory above 85%",
      Namespace: "AWS/ECS",
      MetricName: "MemoryUtilization",
      Dimensions: ecs(ctx.names.workerService),
      Threshold: 85,
    },
    {
      ...base,
      AlarmName: n.alb5xx,
      AlarmDescription: "Prefect API answering 5xx through the load balancer",
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_Target_5XX_Count",
      Dimensions: [{ Name: "LoadBalancer", Value: lb }],
      Statistic: "Sum",
      EvaluationPeriods: 1,
      Threshold: 10,
      TreatMissingData: "notBreaching",
    },
    {
      ...base,
      AlarmName: n.unhealthyHosts,
      AlarmDescription: "Prefect server targets unhealthy",
      Namespace: "AWS/ApplicationELB",
      MetricName: "UnHealthyHostCount",
      Dimensions: [
        { Name: "TargetGroup", Value: tg },
        { Name: "LoadBalancer", Value: lb },
      ],
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 0,
    },
    {
      ...base,
      AlarmName: n.rdsCpu,
      AlarmDescription: "Prefect database CPU above 80%",
      Namespace: "AWS/RDS",
      MetricName: "CPUUtilization",
      Dimensions: [{ Name: "DBInstanceIdentifier", Value: ctx.names.dbInstance }],
      Threshold: 80,
    },
    {
      ...base,
      AlarmName: n.rdsStorage,
      AlarmDescription: "Prefect database free storage below 10% of allocated",
      Namespace: "AWS/RDS",
      MetricName: "FreeStorageSpace",
      Dimensions: [{ Name: "DBInstanceIdentifier", Value: ctx.names.dbInstance }],
      Statistic: "Minimum",
      EvaluationPeriods: 1,
      ComparisonOperator: "LessThanThreshold",
      Threshold: Math.round(ctx.spec.dbAllocatedStorage * 0.1 * 1024 ** 3),
    },
  ];
}

/** The fields that matter for a comparison (CloudWatch echoes them back in DescribeAlarms). */
function fingerprint(a: Partial<MetricAlarm & PutMetricAlarmCommandInput>): string {
  return JSON.stringify({
    metric: `${a.Namespace}/${a.MetricName}`,
    dims: (a.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`),
    stat: a.Statistic,
    period: a.Period,
    periods: a.EvaluationPeriods,
    op: a.ComparisonOperator,
    threshold: a.Threshold,
    actions: [...(a.AlarmActions ?? [])].sort(),
  });
}

interface AlarmsDesired {
  alarms: PutMetricAlarmCommandInput[];
}

export const alarms = defineResource<AlarmsDesired, MetricAlarm[]>({
  key: "alarms",
  kind: "CloudWatch alarms",
  group: "monitoring",
  dependsOn: ["alb", "target-group"],
  name: (ctx) => `${stackAlarmNames(ctx.env).serverCpu} + ${Object.keys(stackAlarmNames(ctx.env)).length - 1} more`,
  desired: (ctx, refs) => ({ alarms: alarmInputs(ctx, refs) }),
  observe: async (ctx) => {
    const found = await describeAlarmsByName(ctx.region, Object.values(stackAlarmNames(ctx.env)));
    return found.length ? found : undefined;
  },
  diff: (d, o) => {
    const changes: FieldChange[] = [];
    for (const want of d.alarms) {
      const have = o.find((a) => a.AlarmName === want.AlarmName);
      if (!have) changes.push({ field: want.AlarmName ?? "alarm", to: "create" });
      else if (!JSON.stringify(want.Dimensions).includes(UNKNOWN) && fingerprint(want) !== fingerprint(have))
        changes.push({
          field: want.AlarmName ?? "alarm",
          from: `${have.ComparisonOperator} ${have.Threshold}`,
          to: `${want.ComparisonOperator} ${want.Threshold}`,
        });
    }
    return { action: changes.length ? "update" : "noop", changes };
  },
  create: async (ctx, d) => {
    await Promise.all(d.alarms.map((a) => putMetricAlarm(ctx.region, a)));
  },
  update: async (ctx, d, _o, diff) => {
    const names = new Set(diff.changes.map((c) => c.field));
    await Promise.all(d.alarms.filter((a) => names.has(a.AlarmName ?? "")).map((a) => putMetricAlarm(ctx.region, a)));
  },
  delete: (ctx, o) => deleteAlarms(ctx.region, o.map((a) => a.AlarmName ?? "").filter(Boolean)),
  ready: () => true,
  outputs: (o) => ({ count: String(o.length) }),
  status: (o) => `${o.length} alarms`,
});
