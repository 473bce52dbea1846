"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import { fromDatetimeInput, toDatetimeInput, type Zone } from "@/lib/datetime-input";
import { filterPatternProblem, LOG_RANGES, type LogRange, type LogSourceKind } from "@/lib/logs";
import type { LogViewerProps } from "./log-viewer";

const RANGE_LABEL: Record<LogRange, string> = {
  "5m": "Last 5 minutes",
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  custom: "Custom range",
};

const labelClass = "text-[11px] font-medium text-muted-foreground";

/**
 * Where to read from: source (all, server, worker, one task), time range (with From/To for a custom one, in the
 * chosen zone) and a CloudWatch filter pattern, checked before it reaches the URL. Every change goes to the URL.
 */
export function LogSourceToolbar({
  props,
  start,
  end,
  zone,
  navigate,
  filterError,
  rangeError,
  onFilterProblem,
}: {
  props: LogViewerProps;
  /** The range shown (epoch ms). */
  start: number;
  end: number;
  zone: Zone;
  navigate: (change: Record<string, string | undefined>) => void;
  filterError?: string;
  rangeError?: string;
  onFilterProblem: (problem: string | undefined) => void;
}) {
  const [filterDraft, setFilterDraft] = useState(props.filter);
  // Custom range inputs show the range in the chosen zone until the user edits them.
  const [startDraft, setStartDraft] = useState<string>();
  const [endDraft, setEndDraft] = useState<string>();
  const customStart = startDraft ?? toDatetimeInput(start, zone);
  const customEnd = endDraft ?? toDatetimeInput(end, zone);
  const zoneName = zone === "utc" ? "UTC" : "local";
  const iso = (ms: number | undefined) => (ms !== undefined ? new Date(ms).toISOString() : undefined);

  return (
    <form
      className="flex flex-wrap items-end gap-2 border-b bg-muted/40 px-3 py-2"
      role="search"
      aria-label="Log source and filter"
      onSubmit={(e) => {
        e.preventDefault();
        const problem = filterPatternProblem(filterDraft);
        onFilterProblem(problem);
        if (!problem) navigate({ filter: filterDraft.trim() || undefined });
      }}
    >
      <div className="grid gap-0.5">
        <label htmlFor="logs-source" className={labelClass}>
          Source
        </label>
        <NativeSelect
          id="logs-source"
          value={props.source}
          className="h-7 w-36 text-xs"
          onChange={(e) => {
            const v = e.target.value as LogSourceKind;
            if (v === "task") navigate({ source: "task", task: props.task ?? props.tasks[0]?.taskId });
            else navigate({ source: v });
          }}
        >
          <option value="all">All streams</option>
          <option value="server">Server</option>
          <option value="worker">Worker</option>
          <option value="task" disabled={props.tasks.length === 0 && !props.task}>
            One task…
          </option>
        </NativeSelect>
      </div>
      {props.source === "task" ? (
        <div className="grid gap-0.5">
          <label htmlFor="logs-task" className={labelClass}>
            Task
          </label>
          <NativeSelect
            id="logs-task"
            value={props.task ?? ""}
            className="h-7 w-64 font-mono text-xs"
            onChange={(e) => navigate({ source: "task", task: e.target.value })}
          >
            {props.task && !props.tasks.some((t) => t.taskId === props.task) ? <option value={props.task}>{props.task}</option> : null}
            {props.tasks.map((t) => (
              <option key={t.taskId} value={t.taskId}>
                {t.service} · {t.taskId.slice(0, 12)} · {t.lastStatus.toLowerCase()}
              </option>
            ))}
          </NativeSelect>
        </div>
      ) : null}
      <div className="grid gap-0.5">
        <label htmlFor="logs-range" className={labelClass}>
          Time range
        </label>
        <NativeSelect
          id="logs-range"
          value={props.at !== undefined ? "custom" : props.range}
          className="h-7 w-36 text-xs"
          aria-invalid={rangeError ? true : undefined}
          onChange={(e) => {
            const v = e.target.value as LogRange;
            if (v === "custom") navigate({ range: "custom", start: iso(start), end: iso(end), at: undefined });
            else navigate({ range: v, at: undefined });
          }}
        >
          {LOG_RANGES.map((r) => (
            <option key={r} value={r}>
              {RANGE_LABEL[r]}
            </option>
          ))}
        </NativeSelect>
      </div>
      {props.range === "custom" || props.at !== undefined ? (
        <>
          <DatetimeField id="logs-from" label={`From (${zoneName})`} value={customStart} onChange={setStartDraft} />
          <DatetimeField id="logs-to" label={`To (${zoneName})`} value={customEnd} onChange={setEndDraft} />
          <Button
            type="button"
            variant="outline"
            size="sm"
            onClick={() =>
              navigate({
                range: "custom",
                start: iso(fromDatetimeInput(customStart, zone)),
                end: iso(fromDatetimeInput(customEnd, zone)),
                at: undefined,
              })
            }
          >
            Apply range
          </Button>
        </>
      ) : null}
      <div className="grid min-w-[16rem] flex-1 gap-0.5">
        <label htmlFor="logs-filter" className={labelClass}>
          Filter pattern
        </label>
        <div className="flex gap-1.5">
          <Input
            id="logs-filter"
            value={filterDraft}
            onChange={(e) => setFilterDraft(e.target.value)}
            placeholder={'CloudWatch syntax: ERROR   "exact phrase"   { $.level = "ERROR" }'}
            className="h-7 font-mono text-xs"
            maxLength={1024}
            spellCheck={false}
            aria-invalid={filterError ? true : undefined}
            aria-describedby={filterError ? "logs-filter-error" : undefined}
          />
          <Button type="submit" size="sm" variant="outline">
            Apply
          </Button>
          {props.filter ? (
            <Button
              type="button"
              size="sm"
              variant="ghost"
              onClick={() => {
                setFilterDraft("");
                navigate({ filter: undefined });
              }}
            >
              Clear
            </Button>
          ) : null}
        </div>
      </div>
    </form>
  );
}

function DatetimeField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="grid gap-0.5">
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <Input id={id} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} className="h-7 w-44 text-xs" />
    </div>
  );
}
