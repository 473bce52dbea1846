"use client";
import { memo, useState } from "react";
import { cn } from "@/lib/cn";
import { formatLogTime, highlightParts, levelOf, parseStream, prettyJson, streamLabel, type LogLevel } from "@/lib/log-format";
import type { LogLine } from "@/lib/logs";

const levelClass: Record<Exclude<LogLevel, undefined>, string> = {
  error: "text-failed",
  warn: "text-pending",
  info: "",
  debug: "text-muted-foreground",
};

const levelBar: Record<Exclude<LogLevel, undefined>, string> = {
  error: "bg-failed",
  warn: "bg-pending",
  info: "bg-transparent",
  debug: "bg-transparent",
};

function Highlighted({ text, needle }: { text: string; needle: string }) {
  if (!needle) return <>{text}</>;
  const parts = highlightParts(text, needle);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="rounded-sm bg-pending-soft px-px text-foreground ring-1 ring-pending/50">
            {p}
          </mark>
        ) : (
          p
        ),
      )}
    </>
  );
}

export const LogRow = memo(function LogRow({
  line,
  zone,
  highlight,
  expanded,
  marked,
  onToggle,
  onOpenTask,
}: {
  line: LogLine;
  zone: "utc" | "local";
  highlight: string;
  expanded: boolean;
  marked: boolean;
  onToggle: (id: string) => void;
  onOpenTask?: (taskId: string) => void;
}) {
  const [copied, setCopied] = useState(false);
  const level = levelOf(line.message);
  const stream = parseStream(line.stream);
  const pretty = expanded ? prettyJson(line.message) : undefined;
  return (
    <div
      data-testid="log-line"
      data-level={level ?? "none"}
      className={cn(
        "group relative flex min-w-0 items-start gap-2 pr-16 pl-2 font-mono text-[12px] leading-[18px] hover:bg-accent/60",
        expanded ? "border-y bg-muted/60 pb-1" : "h-[18px] overflow-hidden",
        marked && "bg-pending-soft/70",
      )}
    >
      <span aria-hidden className={cn("absolute top-0 bottom-0 left-0 w-0.5", level ? levelBar[level] : "bg-transparent")} />
      <button
        type="button"
        onClick={() => onToggle(line.id)}
        aria-expanded={expanded}
        aria-label={expanded ? "Collapse line" : "Expand line"}
        className="mt-[3px] shrink-0 text-[13px] text-muted-foreground hover:text-foreground"
      >
        {/* A text glyph, not an SVG icon: rows are created ~10×/s while following a busy stream. */}
        <span aria-hidden className={cn("inline-block w-3 text-center leading-3 transition-transform", expanded && "rotate-90")}>
          ›
        </span>
      </button>
      <time dateTime={new Date(line.ts).toISOString()} className="shrink-0 text-muted-foreground tabular-nums">
        {formatLogTime(line.ts, zone)}
      </time>
      {stream.taskId && onOpenTask ? (
        <button
          type="button"
          title={`${line.stream} — show only this task's logs`}
          onClick={() => onOpenTask(stream.taskId!)}
          className="w-[8.5rem] shrink-0 truncate text-left text-primary hover:underline"
        >
          {streamLabel(line.stream)}
        </button>
      ) : (
        <span title={line.stream} className="w-[8.5rem] shrink-0 truncate text-muted-foreground">
          {streamLabel(line.stream)}
        </span>
      )}
      <div
        className={cn(
          "min-w-0 flex-1",
          level ? levelClass[level] : "",
          expanded ? "break-all whitespace-pre-wrap" : "truncate whitespace-pre",
        )}
      >
        {pretty ? (
          <pre className="my-1 overflow-x-auto rounded border bg-card p-2 text-foreground">
            <Highlighted text={pretty} needle={highlight} />
          </pre>
        ) : (
          <Highlighted text={line.message} needle={highlight} />
        )}
      </div>
      <button
        type="button"
        aria-label="Copy line"
        title="Copy line"
        onClick={async () => {
          await navigator.clipboard?.writeText(`${new Date(line.ts).toISOString()} ${line.stream} ${line.message}`);
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        }}
        className="absolute top-px right-2 hidden items-center rounded border bg-card px-1.5 text-[11px] leading-4 text-muted-foreground group-hover:flex focus:flex"
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
});
