// Application Auto Scaling for ECS services, which moto stores but never runs: target-tracking policies on
// ECSServiceAverageCPUUtilization / MemoryUtilization change the service's desired count within [min, max], scaling
// out at once and in only after the (scaled) cooldown, like AWS. moto also creates the policy's TargetTracking-…
// alarms with a placeholder threshold (6); they get AWS's thresholds (target, and 90 % of it for AlarmLow).
import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  type ScalableTarget,
  type ScalingPolicy,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { randomUUID } from "node:crypto";
import type { MotoClients } from "../clients";
import type { World } from "../world";
import { addEvent } from "./services";

export interface ScalingDecisionInput {
  current: number;
  min: number;
  max: number;
  metric: number;
  target: number;
}

/** Target tracking: capacity proportional to metric / target, rounded up, clamped. Pure. */
export function targetTrackingDesired(i: ScalingDecisionInput): number {
  if (i.current === 0) return Math.max(i.min, 0);
  const raw = Math.ceil((i.current * i.metric) / i.target);
  // Scale in only when clearly below target (AWS is deliberately conservative scaling in).
  const next = raw < i.current && i.metric > i.target * 0.9 ? i.current : raw;
  return Math.min(i.max, Math.max(i.min, next));
}

export class AutoScalingPhysics {
  private lastScaleOut = new Map<string, number>();
  private lastScaleIn = new Map<string, number>();
  private fixedAlarms = new Set<string>();

  constructor(
    private world: World,
    private c: MotoClients,
    private latest: Map<string, { cpu: number; memory: number }>,
  ) {}

  async tick(now: number): Promise<void> {
    const targets: ScalableTarget[] = [];
    const policies: ScalingPolicy[] = [];
    let token: string | undefined;
    do {
      const r = await this.c.aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", NextToken: token }));
      targets.push(...(r.ScalableTargets ?? []));
      token = r.NextToken;
    } while (token);
    if (targets.length === 0) return;
    do {
      const r = await this.c.aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "ecs", NextToken: token }));
      policies.push(...(r.ScalingPolicies ?? []));
      token = r.NextToken;
    } while (token);

    for (const t of targets) {
      try {
        await this.scaleOne(t, policies, now);
      } catch (e) {
        this.world.lastTickError = `autoscaling ${t.ResourceId}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  }

  private async scaleOne(t: ScalableTarget, policies: ScalingPolicy[], now: number): Promise<void> {
    if (t.ScalableDimension !== "ecs:service:DesiredCount" || !t.ResourceId) return;
    const [, cluster, service] = t.ResourceId.split("/");
    const key = `${cluster}/${service}`;
    const svc = this.world.services.get(key);
    const sample = this.latest.get(key);
    if (!svc || svc.desiredCount === 0) return; // a service paused at 0 stays paused
    for (const p of policies.filter((x) => x.ResourceId === t.ResourceId && x.PolicyType === "TargetTrackingScaling")) {
      const cfg = p.TargetTrackingScalingPolicyConfiguration;
      if (!cfg?.TargetValue) continue;
      await this.fixAlarms(p, cfg.TargetValue).catch((e: unknown) => this.world.log(`target tracking alarms: ${String(e)}`));
      if (!sample || t.SuspendedState?.DynamicScalingOutSuspended) continue;
      const type = cfg.PredefinedMetricSpecification?.PredefinedMetricType ?? "ECSServiceAverageCPUUtilization";
      const metric = type.includes("Memory") ? sample.memory : sample.cpu;
      const desired = targetTrackingDesired({
        current: svc.desiredCount,
        min: t.MinCapacity ?? 0,
        max: t.MaxCapacity ?? svc.desiredCount,
        metric,
        target: cfg.TargetValue,
      });
      if (desired === svc.desiredCount) continue;
      const out = desired > svc.desiredCount;
      const cooldown = this.world.scaled((out ? cfg.ScaleOutCooldown : cfg.ScaleInCooldown) ?? 300);
      const last = (out ? this.lastScaleOut : this.lastScaleIn).get(key) ?? 0;
      if (now - last < cooldown) continue;
      if (!out && cfg.DisableScaleIn) continue;
      await this.c.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: desired }));
      (out ? this.lastScaleOut : this.lastScaleIn).set(key, now);
      this.recordActivity(t.ResourceId, p, out, desired, now);
      addEvent(
        svc,
        `(service ${svc.name}) desired count changed from ${svc.desiredCount} to ${desired} by target tracking policy ${p.PolicyName} (${type} ${metric.toFixed(1)} vs target ${cfg.TargetValue}).`,
        now,
      );
      this.world.log(`autoscaling ${key}: ${svc.desiredCount} → ${desired}`);
      svc.desiredCount = desired;
      break;
    }
  }

  /** What DescribeScalingActivities shows for this decision (AWS's wording; the alarm that fired is the cause). */
  private recordActivity(resourceId: string, p: ScalingPolicy, out: boolean, desired: number, now: number): void {
    const alarm = (p.Alarms ?? []).find((a) => a.AlarmName?.includes(out ? "-AlarmHigh-" : "-AlarmLow-"))?.AlarmName ?? p.PolicyName;
    this.world.scalingActivities.unshift({
      ActivityId: randomUUID(),
      ServiceNamespace: "ecs",
      ResourceId: resourceId,
      ScalableDimension: "ecs:service:DesiredCount",
      Description: `Setting desired count to ${desired}.`,
      Cause: `monitor alarm ${alarm} in state ALARM triggered policy ${p.PolicyName}`,
      StartTime: now,
      EndTime: now + this.world.scaled(2),
      StatusCode: "Successful",
      StatusMessage: `Successfully set desired count to ${desired}. Change successfully fulfilled by ecs.`,
    });
    if (this.world.scalingActivities.length > 1000) this.world.scalingActivities.length = 1000;
  }

  private async fixAlarms(p: ScalingPolicy, target: number): Promise<void> {
    const names = (p.Alarms ?? []).map((a) => a.AlarmName ?? "").filter((n) => n && !this.fixedAlarms.has(n));
    if (names.length === 0) return;
    const r = await this.c.cw.send(new DescribeAlarmsCommand({ AlarmNames: names }));
    for (const a of r.MetricAlarms ?? []) {
      if (!a.AlarmName) continue;
      const low = a.AlarmName.includes("-AlarmLow-");
      await this.c.cw.send(
        new PutMetricAlarmCommand({
          AlarmName: a.AlarmName,
          AlarmDescription: a.AlarmDescription,
          Namespace: a.Namespace,
          MetricName: a.MetricName,
          Dimensions: a.Dimensions,
          Statistic: a.Statistic,
          Period: a.Period,
          EvaluationPeriods: a.EvaluationPeriods,
          ComparisonOperator: a.ComparisonOperator,
          Threshold: low ? Number((target * 0.9).toFixed(2)) : target,
          Unit: a.Unit,
          AlarmActions: a.AlarmActions,
        }),
      );
      this.fixedAlarms.add(a.AlarmName);
    }
  }
}
