"use client";
import Link from "next/link";
import { LazyMetricChart } from "@/components/charts/lazy";
import { formatMetric } from "@/components/charts/format-value";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import { PageRefresher } from "./page-refresher";
import { METRIC_RANGE_KEYS, METRIC_RANGES, type MetricRange, type MetricSeriesId } from "@/lib/metric-ranges";
import type { AlarmDto, MetricSeriesDto } from "@/lib/ops/types";

// Charts grouped by family; each card carries anchors for its series so alarms can link to `#server_cpu`.
const FAMILIES: { title: string; description: string; ids: MetricSeriesId[] }[] = [
  { title: "Server CPU and memory", description: "AWS/ECS · prefect-server · average %", ids: ["server_cpu", "server_memory"] },
  { title: "Worker CPU and memory", description: "AWS/ECS · prefect-worker · average %", ids: ["worker_cpu", "worker_memory"] },
  { title: "Database CPU", description: "AWS/RDS · CPUUtilization", ids: ["rds_cpu"] },
  { title: "Database connections", description: "AWS/RDS · DatabaseConnections", ids: ["rds_connections"] },
  { title: "Database free storage", description: "AWS/RDS · FreeStorageSpace", ids: ["rds_free_storage"] },
  { title: "Load balancer requests", description: "AWS/ApplicationELB · RequestCount (sum)", ids: ["alb_requests"] },
  { title: "5xx responses", description: "Target and load balancer 5xx (sum)", ids: ["alb_target_5xx", "alb_elb_5xx"] },
  { title: "Target response time", description: "AWS/ApplicationELB · TargetResponseTime (average)", ids: ["alb_latency"] },
];

export function MetricsBoard({
  env,
  range,
  series,
  alarms,
}: {
  env: string;
  range: MetricRange;
  series: MetricSeriesDto[];
  alarms: AlarmDto[];
}) {
  return (
    <div className="grid gap-4">
      <nav aria-label="Range" className="flex items-center gap-1">
        <span className="mr-2 text-xs text-muted-foreground">Range</span>
        {METRIC_RANGE_KEYS.map((r) => (
          <Link
            key={r}
            href={`/stacks/${env}/metrics?range=${r}`}
            aria-current={r === range ? "page" : undefined}
            className={cn("rounded-md border px-2.5 py-1 text-xs", r === range ? "bg-primary text-primary-foreground" : "hover:bg-accent")}
          >
            {METRIC_RANGES[r].label}
          </Link>
        ))}
        <span className="ml-3 text-xs text-muted-foreground">{METRIC_RANGES[range].periodSec / 60}-minute periods · UTC</span>
        <span className="ml-auto">
          <PageRefresher seconds={60} />
        </span>
      </nav>
      <div className="grid gap-4 lg:grid-cols-2">
        {FAMILIES.map((f) => {
          const s = series.filter((x) => f.ids.includes(x.id as MetricSeriesId));
          if (s.length === 0) return null;
          const alarm = alarms.find((a) => a.chart && f.ids.includes(a.chart as MetricSeriesId));
          const empty = s.every((x) => x.points.length === 0);
          return (
            <Card key={f.title} id={f.ids[0]} className="scroll-mt-4" data-testid="metric-chart">
              {f.ids.slice(1).map((id) => (
                <span key={id} id={id} />
              ))}
              <CardHeader
                title={f.title}
                description={f.description}
                actions={
                  <div className="flex gap-3 text-xs">
                    {s.map((x) => (
                      <span key={x.id} className="tabular-nums">
                        <span className="text-muted-foreground">{x.label}</span> {x.latest === null ? "—" : formatMetric(x.latest, x.unit)}
                      </span>
                    ))}
                  </div>
                }
              />
              <CardBody>
                {empty ? (
                  <p className="flex h-[200px] items-center justify-center text-sm text-muted-foreground">
                    No datapoints in this range yet.
                  </p>
                ) : (
                  <LazyMetricChart series={s} threshold={alarm?.threshold ?? null} />
                )}
                {alarm ? (
                  <p className="mt-1 text-xs text-muted-foreground">
                    Dashed line: alarm <span className="font-mono">{alarm.name}</span> threshold ({alarm.state})
                  </p>
                ) : null}
              </CardBody>
            </Card>
          );
        })}
      </div>
    </div>
  );
}
