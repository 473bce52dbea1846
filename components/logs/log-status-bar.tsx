"use client";
import { ArrowDownToLine, Download, FileDown, Pause, Play, Radio } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { StatusBadge, type Tone } from "@/components/ui/status-badge";
import { cn } from "@/lib/cn";
import type { Zone } from "@/lib/datetime-input";
import type { Connection, useLogSession } from "./use-log-session";

const connectionBadge: Record<Connection, { label: string; tone: Tone }> = {
  loading: { label: "Loading", tone: "pending" },
  connecting: { label: "Connecting", tone: "pending" },
  live: { label: "Live", tone: "ok" },
  reconnecting: { label: "Reconnecting", tone: "pending" },
  closed: { label: "Stopped", tone: "failed" },
  idle: { label: "Time range", tone: "neutral" },
};

/**
 * How to look at the lines: connection state and how CloudWatch is read, the line count against the viewer's cap,
 * highlight, pause/follow (live only), the time zone, and the two downloads.
 */
export function LogStatusBar({
  session: s,
  live,
  highlight,
  onHighlight,
  matches,
  follow,
  onFollow,
  zone,
  onZone,
  onDownloadLines,
  onDownloadRange,
}: {
  session: ReturnType<typeof useLogSession>;
  live: boolean;
  highlight: string;
  onHighlight: (text: string) => void;
  /** Loaded lines containing the highlight. */
  matches: number;
  follow: boolean;
  onFollow: (follow: boolean) => void;
  zone: Zone;
  onZone: (zone: Zone) => void;
  onDownloadLines: () => void;
  onDownloadRange: () => void;
}) {
  const { lines, held, paused, dropped } = s.snap;
  const badge = paused ? { label: "Paused", tone: "pending" as Tone } : connectionBadge[s.connection];
  return (
    <div className="flex flex-wrap items-center gap-2 border-b px-3 py-1.5 text-xs">
      <StatusBadge tone={badge.tone} label={badge.label} />
      {s.upstream && s.connection === "live" ? (
        <span
          className="text-muted-foreground"
          title="How the console reads CloudWatch for everyone watching this source"
          data-testid="upstream-mode"
        >
          <Radio className="mr-1 inline size-3" />
          {s.upstream.mode === "live-tail" ? "CloudWatch Live Tail" : s.upstream.mode === "polling" ? "FilterLogEvents, 1/s" : "starting"}
        </span>
      ) : null}
      {s.upstream?.notice && s.connection === "live" ? (
        <span className="text-pending" role="status" data-testid="upstream-notice">
          {s.upstream.notice}
        </span>
      ) : null}
      {s.upstream?.message ? <span className="text-pending">{s.upstream.message}</span> : null}
      <span className="ml-1 text-muted-foreground tabular-nums" data-testid="line-count">
        {lines.length.toLocaleString()} lines
        {dropped > 0
          ? ` · ${dropped.toLocaleString()} oldest dropped (cap ${s.store.cap.toLocaleString()})`
          : ` · cap ${s.store.cap.toLocaleString()}`}
      </span>
      <div className="ml-auto flex flex-wrap items-center gap-1.5">
        <label htmlFor="logs-highlight" className="sr-only">
          Highlight
        </label>
        <Input
          id="logs-highlight"
          value={highlight}
          onChange={(e) => onHighlight(e.target.value)}
          placeholder="Highlight…"
          className="h-7 w-40 text-xs"
        />
        {highlight ? <span className="text-muted-foreground tabular-nums">{matches.toLocaleString()} matching</span> : null}
        {live ? (
          <>
            <Button
              type="button"
              size="sm"
              variant={paused ? "default" : "outline"}
              onClick={() => {
                s.store.setPaused(!paused);
                if (paused) onFollow(true);
              }}
            >
              {paused ? <Play /> : <Pause />}
              {paused ? (held > 0 ? `Resume · ${held.toLocaleString()} new lines` : "Resume") : "Pause"}
            </Button>
            <Button
              type="button"
              size="sm"
              variant={follow ? "default" : "outline"}
              aria-pressed={follow}
              onClick={() => onFollow(!follow)}
              title="Keep the newest line in view"
            >
              <ArrowDownToLine />
              Follow
            </Button>
          </>
        ) : null}
        <div role="group" aria-label="Time zone" className="flex overflow-hidden rounded-md border">
          {(["utc", "local"] as const).map((z) => (
            <button
              key={z}
              type="button"
              aria-pressed={zone === z}
              onClick={() => onZone(z)}
              className={cn("px-2 py-1 text-xs", zone === z ? "bg-primary text-primary-foreground" : "bg-card hover:bg-accent")}
            >
              {z === "utc" ? "UTC" : "Local"}
            </button>
          ))}
        </div>
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={onDownloadLines}
          disabled={lines.length === 0}
          title="Download the lines loaded in the viewer"
        >
          <Download />
          Download lines
        </Button>
        <Button
          type="button"
          size="sm"
          variant="ghost"
          onClick={onDownloadRange}
          title="Download every line of this time range from CloudWatch (up to 200,000)"
        >
          <FileDown />
          Download range
        </Button>
      </div>
    </div>
  );
}
