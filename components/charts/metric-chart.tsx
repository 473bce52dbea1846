"use client";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MetricSeriesDto } from "@/lib/ops/types";
import { formatMetric } from "./format-value";

const COLORS = ["var(--primary)", "var(--pending)", "var(--failed)", "var(--ok)"];

function timeLabel(t: number, spanMs: number): string {
  const d = new Date(t);
  return spanMs > 2 * 86_400_000 ? d.toISOString().slice(5, 10) : d.toISOString().slice(11, 16);
}

/** One chart for a metric family: several series of the same unit on a shared time axis (UTC). */
export default function MetricChart({
  series,
  threshold,
  height = 200,
}: {
  series: MetricSeriesDto[];
  threshold?: number | null;
  height?: number;
}) {
  const unit = series[0]?.unit ?? "Count";
  const rows = new Map<number, Record<string, number>>();
  for (const s of series) for (const p of s.points) rows.set(p.t, { ...(rows.get(p.t) ?? { t: p.t }), [s.id]: p.v });
  const data = [...rows.values()].sort((a, b) => a.t! - b.t!);
  const span = data.length ? data[data.length - 1]!.t! - data[0]!.t! : 0;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          domain={["dataMin", "dataMax"]}
          tickFormatter={(t: number) => timeLabel(t, span)}
          tick={{ fontSize: 11 }}
          stroke="var(--muted-foreground)"
        />
        <YAxis
          width={64}
          tickFormatter={(v: number) => formatMetric(v, unit)}
          tick={{ fontSize: 11 }}
          stroke="var(--muted-foreground)"
          domain={unit === "Percent" ? [0, 100] : [0, "auto"]}
        />
        <Tooltip
          labelFormatter={(t) => new Date(Number(t)).toISOString().replace("T", " ").slice(0, 16) + " UTC"}
          formatter={(v, name) => [formatMetric(Number(v), unit), series.find((s) => s.id === name)?.label ?? String(name)]}
          contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }}
        />
        {threshold !== undefined && threshold !== null ? (
          <ReferenceLine y={threshold} stroke="var(--failed)" strokeDasharray="4 4" />
        ) : null}
        {series.map((s, i) => (
          <Line
            key={s.id}
            dataKey={s.id}
            name={s.id}
            type="monotone"
            stroke={COLORS[i % COLORS.length]}
            dot={false}
            strokeWidth={1.5}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
