"use client";
import dynamic from "next/dynamic";

// recharts is heavy: charts load after the page, so the first-load JS stays small.
const placeholder = (h: number) =>
  function ChartPlaceholder() {
    return <div className="animate-pulse rounded bg-muted" style={{ height: h }} aria-label="Loading chart" />;
  };

export const LazySparkline = dynamic(() => import("./sparkline"), { ssr: false, loading: placeholder(36) });
export const LazyMetricChart = dynamic(() => import("./metric-chart"), { ssr: false, loading: placeholder(200) });
