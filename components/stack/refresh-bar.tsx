"use client";
import { Pause, Play, RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { cn } from "@/lib/cn";

export function RefreshBar({
  takenAt,
  durationMs,
  interval,
  paused,
  loading,
  error,
  onPause,
  onRefresh,
}: {
  takenAt: number;
  durationMs: number;
  interval: number;
  paused: boolean;
  loading: boolean;
  error: string | null;
  onPause: (p: boolean) => void;
  onRefresh: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
      <p aria-live="polite">
        Updated <RelativeTime ms={takenAt} /> in {durationMs} ms ·{" "}
        {paused ? (
          <span className="font-medium text-pending">auto-refresh paused</span>
        ) : (
          <>refreshes every {Math.round(interval / 1000)} s</>
        )}
        {error ? <span className="ml-2 text-failed">Last refresh failed: {error}</span> : null}
      </p>
      <div className="flex gap-2">
        <Button size="sm" variant="outline" onClick={() => onPause(!paused)} aria-pressed={paused}>
          {paused ? <Play /> : <Pause />}
          {paused ? "Resume" : "Pause"}
        </Button>
        <Button size="sm" variant="outline" onClick={onRefresh} disabled={loading}>
          <RefreshCw className={cn(loading && "animate-spin")} />
          Refresh now
        </Button>
      </div>
    </div>
  );
}
