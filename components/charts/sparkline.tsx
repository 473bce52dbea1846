"use client";
import { Area, AreaChart, ResponsiveContainer, YAxis } from "recharts";
import type { MetricPoint } from "@/lib/ops/types";

/** A tiny trend line (no axes); loaded lazily through charts/lazy.tsx. */
export default function Sparkline({ points, percent }: { points: MetricPoint[]; percent?: boolean }) {
  return (
    <ResponsiveContainer width="100%" height={36}>
      <AreaChart data={points} margin={{ top: 2, right: 0, bottom: 2, left: 0 }}>
        <YAxis hide domain={percent ? [0, 100] : ["auto", "auto"]} />
        <Area
          type="monotone"
          dataKey="v"
          stroke="var(--primary)"
          fill="var(--primary)"
          fillOpacity={0.12}
          strokeWidth={1.5}
          isAnimationActive={false}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}
