// CloudWatch metrics as AWS publishes them, one datapoint per service/instance/load balancer every 60 s of
// simulated time (60 / timeScale real seconds), stamped with the real time: AWS/ECS CPU and memory per service,
// AWS/RDS CPU, free storage and connections, AWS/ApplicationELB requests, 5xx, latency and host counts.
import { PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { MotoClients } from "../clients";
import { rdsView } from "../aws-proxy/rds";
import { lbState } from "../aws-proxy/elbv2";
import type { World } from "../world";
import { isServerCommand, parseWorkerCommand } from "./commands";
import { AWS_SECONDS } from "./timing";

export class MetricPhysics {
  private lastAt = 0;
  /** Smoothed CPU per service so charts wander instead of jumping. */
  private cpu = new Map<string, number>();
  private rdsUsed = new Map<string, number>();
  /** Last published CPU / memory per service key (read by the auto scaler). */
  readonly latest = new Map<string, { cpu: number; memory: number }>();

  constructor(
    private world: World,
    private c: MotoClients,
  ) {}

  /** Returns true when a new set of datapoints was published. */
  async tick(now: number): Promise<boolean> {
    if (now - this.lastAt < this.world.scaled(AWS_SECONDS.metricPeriod)) return false;
    this.lastAt = now;
    const ts = new Date(now);
    const data: { ns: string; d: MetricDatum }[] = [];
    const rnd = () => this.world.rng();

    for (const svc of this.world.services.values()) {
      const running = this.world.tasksOfService(svc.key).filter((t) => t.phase === "RUNNING" && !t.failing);
      if (running.length === 0) continue; // no tasks → no datapoints (alarms go INSUFFICIENT_DATA, as on AWS)
      const cmd = running[0]?.td.containers[0]?.command ?? [];
      const isServer = isServerCommand(cmd);
      const base = isServer ? 14 : parseWorkerCommand(cmd) ? 7 : 10;
      const override = this.world.cpuOverride.get(svc.key);
      const prev = this.cpu.get(svc.key) ?? base;
      const cpu = override ?? Math.max(0.5, Math.min(99, prev + (base - prev) * 0.3 + (rnd() - 0.5) * 4));
      this.cpu.set(svc.key, override === undefined ? cpu : base);
      const mem = (isServer ? 38 : 24) + (rnd() - 0.5) * 6 + (override !== undefined ? override / 5 : 0);
      const dims = [
        { Name: "ClusterName", Value: svc.clusterName },
        { Name: "ServiceName", Value: svc.name },
      ];
      this.latest.set(svc.key, { cpu: round(override ?? cpu), memory: round(Math.min(99, mem)) });
      data.push({
        ns: "AWS/ECS",
        d: { MetricName: "CPUUtilization", Dimensions: dims, Value: round(override ?? cpu), Unit: "Percent", Timestamp: ts },
      });
      data.push({
        ns: "AWS/ECS",
        d: { MetricName: "MemoryUtilization", Dimensions: dims, Value: round(Math.min(99, mem)), Unit: "Percent", Timestamp: ts },
      });
    }

    // RDS/ALB trouble must not cost the ECS datapoints (alarms and the auto scaler depend on them).
    await this.rdsMetrics(now, ts, data).catch((e: unknown) => this.world.log(`rds metrics: ${String(e)}`));
    await this.albMetrics(now, ts, data).catch((e: unknown) => this.world.log(`alb metrics: ${String(e)}`));

    const byNs = new Map<string, MetricDatum[]>();
    for (const { ns, d } of data) byNs.set(ns, [...(byNs.get(ns) ?? []), d]);
    for (const [ns, ds] of byNs) {
      for (let i = 0; i < ds.length; i += 500) {
        await this.c.cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: ds.slice(i, i + 500) })).catch((e: unknown) => {
          this.world.lastTickError = `PutMetricData ${ns}: ${String(e)}`;
        });
      }
    }
    return true;
  }

  private async rdsMetrics(now: number, ts: Date, data: { ns: string; d: MetricDatum }[]): Promise<void> {
    const r = await this.c.rds.send(new DescribeDBInstancesCommand({})).catch(() => undefined);
    const serverTasks = [...this.world.tasks.values()].filter(
      (t) => t.phase === "RUNNING" && t.td.containers.some((c) => isServerCommand(c.command)),
    ).length;
    for (const db of r?.DBInstances ?? []) {
      const id = db.DBInstanceIdentifier;
      if (!id) continue;
      const view = rdsView(this.world.rds.get(id), now, (s) => this.world.scaled(s));
      if (view.status === "creating" || view.status === "deleting") continue;
      const allocatedBytes = (db.AllocatedStorage ?? 20) * 1024 ** 3;
      const used = Math.min(0.9, (this.rdsUsed.get(id) ?? 0.04) + this.world.rng() * 0.0005);
      this.rdsUsed.set(id, used);
      const dims = [{ Name: "DBInstanceIdentifier", Value: id }];
      data.push({
        ns: "AWS/RDS",
        d: {
          MetricName: "CPUUtilization",
          Dimensions: dims,
          Value: round(4 + serverTasks * 3 + this.world.rng() * 6),
          Unit: "Percent",
          Timestamp: ts,
        },
      });
      data.push({
        ns: "AWS/RDS",
        d: {
          MetricName: "FreeStorageSpace",
          Dimensions: dims,
          Value: Math.round(allocatedBytes * (1 - used)),
          Unit: "Bytes",
          Timestamp: ts,
        },
      });
      data.push({
        ns: "AWS/RDS",
        d: {
          MetricName: "DatabaseConnections",
          Dimensions: dims,
          Value: serverTasks * 5 + Math.floor(this.world.rng() * 3),
          Unit: "Count",
          Timestamp: ts,
        },
      });
    }
  }

  private async albMetrics(now: number, ts: Date, data: { ns: string; d: MetricDatum }[]): Promise<void> {
    const r = await this.c.elb.send(new DescribeLoadBalancersCommand({})).catch(() => undefined);
    for (const lb of r?.LoadBalancers ?? []) {
      const arn = lb.LoadBalancerArn;
      if (!arn || lbState(this.world, arn, now) === "provisioning") continue;
      const lbDim = arn.slice(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length); // app/name/id
      const counters = this.world.albCounters.get(arn) ?? { requests: 0, target5xx: 0, elb5xx: 0, latencySum: 0 };
      this.world.albCounters.delete(arn);
      const tgs = [...this.world.targetGroups.values()].filter((tg) => tg.loadBalancerArns.includes(arn));
      const healthyTotal = tgs.reduce(
        (n, tg) => n + [...this.world.targets.values()].filter((t) => t.targetGroupArn === tg.arn && t.state === "healthy").length,
        0,
      );
      const background = healthyTotal > 0 ? 30 + Math.floor(this.world.rng() * 40) : 0; // UI and workers polling
      const requests = background + counters.requests;
      const dims = [{ Name: "LoadBalancer", Value: lbDim }];
      const put = (MetricName: string, Value: number, Unit: MetricDatum["Unit"], d = dims) =>
        data.push({ ns: "AWS/ApplicationELB", d: { MetricName, Dimensions: d, Value, Unit, Timestamp: ts } });
      put("RequestCount", requests, "Count");
      put("HTTPCode_Target_5XX_Count", counters.target5xx + (background > 0 && this.world.rng() < 0.05 ? 1 : 0), "Count");
      put("HTTPCode_ELB_5XX_Count", counters.elb5xx, "Count");
      if (requests > 0)
        put("TargetResponseTime", round((counters.latencySum + background * (0.01 + this.world.rng() * 0.03)) / requests, 4), "Seconds");
      for (const tg of tgs) {
        const tgDim = tg.arn.slice(tg.arn.indexOf(":targetgroup/") + 1); // targetgroup/name/id
        const states = [...this.world.targets.values()].filter((t) => t.targetGroupArn === tg.arn);
        const healthy = states.filter((t) => t.state === "healthy").length;
        const unhealthy = states.filter((t) => t.state === "unhealthy").length;
        // GetMetricData matches dimensions in put order only: publish both common orders.
        for (const d of [
          [
            { Name: "TargetGroup", Value: tgDim },
            { Name: "LoadBalancer", Value: lbDim },
          ],
          [
            { Name: "LoadBalancer", Value: lbDim },
            { Name: "TargetGroup", Value: tgDim },
          ],
        ]) {
          put("HealthyHostCount", healthy, "Count", d);
          put("UnHealthyHostCount", unhealthy, "Count", d);
        }
      }
    }
  }
}

const round = (v: number, digits = 2) => Number(v.toFixed(digits));
