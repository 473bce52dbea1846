import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { MetricsBoard } from "@/components/stack/metrics-board";
import { Alert } from "@/components/ui/alert";
import { ConsoleAwsError } from "@/server/aws/errors";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { stackAlarms } from "@/server/metrics/alarms";
import { METRIC_RANGE_KEYS } from "@/lib/metric-ranges";
import { stackMetrics } from "@/server/metrics/stack-metrics";
import { getStack } from "@/server/stacks/registry";
import type { AlarmDto, MetricSeriesDto } from "@/lib/ops/types";

export const metadata: Metadata = { title: "Metrics" };
export const dynamic = "force-dynamic";

const rangeSchema = z.enum(METRIC_RANGE_KEYS as [string, ...string[]]).catch("1h");

export default async function MetricsPage({
  params,
  searchParams,
}: {
  params: Promise<{ env: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  await requireUser();
  const { env } = await params;
  const range = rangeSchema.parse((await searchParams).range) as (typeof METRIC_RANGE_KEYS)[number];
  const stack = await getStack(await db(), env);
  if (!stack) notFound();
  const [series, alarms] = await Promise.allSettled([stackMetrics(env, stack.region, range), stackAlarms(env, stack.region)]);
  const msg = (r: PromiseRejectedResult) =>
    r.reason instanceof ConsoleAwsError ? r.reason.message : "Reading CloudWatch failed; the details are in the console's log.";
  return (
    <div className="grid gap-4">
      {series.status === "rejected" ? (
        <Alert tone="failed" title="Could not read the metrics">
          {msg(series)}
        </Alert>
      ) : null}
      {alarms.status === "rejected" ? (
        <Alert tone="pending" title="Alarm thresholds unavailable">
          {msg(alarms)}
        </Alert>
      ) : null}
      <MetricsBoard
        env={env}
        range={range}
        series={series.status === "fulfilled" ? series.value : ([] as MetricSeriesDto[])}
        alarms={alarms.status === "fulfilled" ? alarms.value : ([] as AlarmDto[])}
      />
    </div>
  );
}
