import "server-only";
import type { MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { stackNames } from "@/lib/names";
import type { MetricSeriesDto } from "@/lib/ops/types";
import { METRIC_RANGES, type MetricRange, type MetricSeriesId } from "@/lib/metric-ranges";

// The stack's metric families as GetMetricData queries (one call holds up to 500 queries; a stack needs 11).
// Dimensions are listed in the order AWS publishes them (ClusterName before ServiceName).

interface SeriesDef {
  id: MetricSeriesId;
  label: string;
  unit: MetricSeriesDto["unit"];
  namespace: string;
  metric: string;
  stat: "Average" | "Sum" | "Maximum";
  dims: { Name: string; Value: string }[];
}

export interface StackMetricTarget {
  env: string;
  /** `app/<name>/<id>` from the load balancer ARN; ALB series are skipped without it. */
  albDimension: string | null;
}

/** `arn:aws:elasticloadbalancing:…:loadbalancer/app/prefect-x/abc` → `app/prefect-x/abc` (the CloudWatch dimension). */
export function albDimensionOf(loadBalancerArn: string | undefined): string | null {
  if (!loadBalancerArn) return null;
  const i = loadBalancerArn.indexOf(":loadbalancer/");
  return i >= 0 ? loadBalancerArn.slice(i + ":loadbalancer/".length) : null;
}

export function seriesDefs(t: StackMetricTarget): SeriesDef[] {
  const n = stackNames(t.env);
  const svc = (service: string) => [
    { Name: "ClusterName", Value: n.cluster },
    { Name: "ServiceName", Value: service },
  ];
  const db = [{ Name: "DBInstanceIdentifier", Value: n.dbInstance }];
  const defs: SeriesDef[] = [
    {
      id: "server_cpu",
      label: "Server CPU",
      unit: "Percent",
      namespace: "AWS/ECS",
      metric: "CPUUtilization",
      stat: "Average",
      dims: svc(n.serverService),
    },
    {
      id: "server_memory",
      label: "Server memory",
      unit: "Percent",
      namespace: "AWS/ECS",
      metric: "MemoryUtilization",
      stat: "Average",
      dims: svc(n.serverService),
    },
    {
      id: "worker_cpu",
      label: "Worker CPU",
      unit: "Percent",
      namespace: "AWS/ECS",
      metric: "CPUUtilization",
      stat: "Average",
      dims: svc(n.workerService),
    },
    {
      id: "worker_memory",
      label: "Worker memory",
      unit: "Percent",
      namespace: "AWS/ECS",
      metric: "MemoryUtilization",
      stat: "Average",
      dims: svc(n.workerService),
    },
    { id: "rds_cpu", label: "Database CPU", unit: "Percent", namespace: "AWS/RDS", metric: "CPUUtilization", stat: "Average", dims: db },
    {
      id: "rds_connections",
      label: "Database connections",
      unit: "Count",
      namespace: "AWS/RDS",
      metric: "DatabaseConnections",
      stat: "Average",
      dims: db,
    },
    {
      id: "rds_free_storage",
      label: "Database free storage",
      unit: "Bytes",
      namespace: "AWS/RDS",
      metric: "FreeStorageSpace",
      stat: "Average",
      dims: db,
    },
  ];
  if (t.albDimension) {
    const lb = [{ Name: "LoadBalancer", Value: t.albDimension }];
    defs.push(
      {
        id: "alb_requests",
        label: "Requests",
        unit: "Count",
        namespace: "AWS/ApplicationELB",
        metric: "RequestCount",
        stat: "Sum",
        dims: lb,
      },
      {
        id: "alb_target_5xx",
        label: "Target 5xx",
        unit: "Count",
        namespace: "AWS/ApplicationELB",
        metric: "HTTPCode_Target_5XX_Count",
        stat: "Sum",
        dims: lb,
      },
      {
        id: "alb_elb_5xx",
        label: "Load balancer 5xx",
        unit: "Count",
        namespace: "AWS/ApplicationELB",
        metric: "HTTPCode_ELB_5XX_Count",
        stat: "Sum",
        dims: lb,
      },
      {
        id: "alb_latency",
        label: "Target response time",
        unit: "Seconds",
        namespace: "AWS/ApplicationELB",
        metric: "TargetResponseTime",
        stat: "Average",
        dims: lb,
      },
    );
  }
  return defs;
}

export function metricQueries(defs: SeriesDef[], periodSec: number): MetricDataQuery[] {
  return defs.map((d) => ({
    Id: d.id,
    Label: d.label,
    ReturnData: true,
    MetricStat: { Metric: { Namespace: d.namespace, MetricName: d.metric, Dimensions: d.dims }, Period: periodSec, Stat: d.stat },
  }));
}

/** Maps GetMetricData results (any order, possibly split over pages) to our series, oldest point first. */
export function toSeries(defs: SeriesDef[], results: MetricDataResult[]): MetricSeriesDto[] {
  return defs.map((d) => {
    const points = new Map<number, number>();
    for (const r of results) {
      if (r.Id !== d.id) continue;
      (r.Timestamps ?? []).forEach((ts, i) => {
        const v = r.Values?.[i];
        if (v !== undefined && Number.isFinite(v)) points.set(new Date(ts).getTime(), v);
      });
    }
    const sorted = [...points.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }));
    return { id: d.id, label: d.label, unit: d.unit, points: sorted, latest: sorted.length ? sorted[sorted.length - 1]!.v : null };
  });
}

export function rangeWindow(range: MetricRange, now = Date.now()): { start: Date; end: Date; periodSec: number } {
  const r = METRIC_RANGES[range];
  return { start: new Date(now - r.ms), end: new Date(now), periodSec: r.periodSec };
}
