// Isomorphic: the metric ranges the metrics page offers and the series ids charts refer to.
export const METRIC_RANGES = {
  "1h": { ms: 3_600_000, periodSec: 60, label: "1 h" },
  "6h": { ms: 6 * 3_600_000, periodSec: 300, label: "6 h" },
  "24h": { ms: 24 * 3_600_000, periodSec: 300, label: "24 h" },
  "7d": { ms: 7 * 24 * 3_600_000, periodSec: 3_600, label: "7 d" },
} as const;

export type MetricRange = keyof typeof METRIC_RANGES;
export const METRIC_RANGE_KEYS = Object.keys(METRIC_RANGES) as MetricRange[];

export type MetricSeriesId =
  | "server_cpu"
  | "server_memory"
  | "worker_cpu"
  | "worker_memory"
  | "rds_cpu"
  | "rds_connections"
  | "rds_free_storage"
  | "alb_requests"
  | "alb_target_5xx"
  | "alb_elb_5xx"
  | "alb_latency";

/** Which chart (an anchor on the metrics page) shows a CloudWatch metric. */
export function chartFor(
  namespace: string | undefined | null,
  metric: string | undefined | null,
  dims: Record<string, string>,
): string | null {
  if (namespace === "AWS/ECS") {
    const who = dims.ServiceName?.includes("worker") ? "worker" : "server";
    if (metric === "CPUUtilization") return `${who}_cpu`;
    if (metric === "MemoryUtilization") return `${who}_memory`;
  }
  if (namespace === "AWS/RDS") {
    if (metric === "CPUUtilization") return "rds_cpu";
    if (metric === "DatabaseConnections") return "rds_connections";
    if (metric === "FreeStorageSpace") return "rds_free_storage";
  }
  if (namespace === "AWS/ApplicationELB") {
    if (metric === "RequestCount") return "alb_requests";
    if (metric === "HTTPCode_Target_5XX_Count") return "alb_target_5xx";
    if (metric === "HTTPCode_ELB_5XX_Count") return "alb_elb_5xx";
    if (metric === "TargetResponseTime") return "alb_latency";
  }
  return null;
}
