// Isomorphic: how a metric value is printed on a chart axis or tooltip.
import { formatBytes } from "@/lib/format";

export function formatMetric(v: number, unit: string): string {
  switch (unit) {
    case "Percent":
      return `${v.toFixed(1)} %`;
    case "Bytes":
      return formatBytes(v);
    case "Seconds":
      return v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`;
    default:
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
  }
}
