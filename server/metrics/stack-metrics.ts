import "server-only";
import { stackNames } from "@/lib/names";
import { getMetricData } from "@/server/aws/cloudwatch";
import { findLoadBalancer } from "@/server/aws/elbv2";
import type { MetricSeriesDto } from "@/lib/ops/types";
import { albDimensionOf, metricQueries, rangeWindow, seriesDefs, toSeries } from "./queries";
import type { MetricRange } from "@/lib/metric-ranges";

// The metrics page's data: every series of the stack for one range, in ONE GetMetricData call (11 queries ≤ 500),
// after one DescribeLoadBalancers for the ALB's dimension value.
export async function stackMetrics(env: string, region: string, range: MetricRange, now = Date.now()): Promise<MetricSeriesDto[]> {
  const lb = await findLoadBalancer(region, stackNames(env).alb);
  const defs = seriesDefs({ env, albDimension: albDimensionOf(lb?.LoadBalancerArn) });
  const w = rangeWindow(range, now);
  return toSeries(defs, await getMetricData(region, metricQueries(defs, w.periodSec), w.start, w.end, stackNames(env).cluster));
}
