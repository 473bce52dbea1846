"use client";
import Link from "next/link";
import { LazySparkline } from "@/components/charts/lazy";
import { formatMetric } from "@/components/charts/format-value";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { MetricSeriesDto, Panel } from "@/lib/ops/types";
import { PanelView } from "./panel-view";

const SHOWN = ["server_cpu", "server_memory", "worker_cpu", "worker_memory", "rds_cpu", "rds_connections", "alb_requests", "alb_latency"];

/** The last hour at a glance: latest value and a sparkline per series; the Metrics tab has the full charts. */
export function MetricsSummary({ env, metrics }: { env: string; metrics: Panel<MetricSeriesDto[]> }) {
  return (
    <Card data-testid="metrics-summary">
      <CardHeader
        title="Last hour"
        description="CloudWatch, 1-minute averages"
        actions={
          <Link href={`/stacks/${env}/metrics`} className="text-xs text-primary hover:underline">
            All metrics…
          </Link>
        }
      />
      <CardBody>
        <PanelView panel={metrics} what="CloudWatch metrics">
          {(series) => (
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
              {series
                .filter((s) => SHOWN.includes(s.id))
                .map((s) => (
                  <Link key={s.id} href={`/stacks/${env}/metrics#${s.id}`} className="rounded-md border px-2 py-1.5 hover:bg-accent">
                    <div className="flex items-baseline justify-between gap-2">
                      <span className="text-xs text-muted-foreground">{s.label}</span>
                      <span className="text-sm font-semibold tabular-nums">{s.latest === null ? "—" : formatMetric(s.latest, s.unit)}</span>
                    </div>
                    {s.points.length > 1 ? (
                      <LazySparkline points={s.points} percent={s.unit === "Percent"} />
                    ) : (
                      <div className="h-9 text-xs text-muted-foreground">no data yet</div>
                    )}
                  </Link>
                ))}
            </div>
          )}
        </PanelView>
      </CardBody>
    </Card>
  );
}
