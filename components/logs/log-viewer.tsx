"use client";
import { ArrowDownToLine, Download, FileDown, Pause, Play, Radio } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useDeferredValue, useMemo, useState, useSyncExternalStore } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import { StatusBadge, type Tone } from "@/components/ui/status-badge";
import { cn } from "@/lib/cn";
import { linesToText } from "@/lib/log-format";
import { filterPatternProblem, LOG_RANGES, RANGE_MS, type LogRange, type LogSourceKind } from "@/lib/logs";
import { LogList } from "./log-list";
import { useLogSession, type Connection } from "./use-log-session";

export interface TaskOption {
  taskId: string;
  service: string;
  lastStatus: string;
}

export interface LogViewerProps {
  env: string;
  source: LogSourceKind;
  task?: string;
  filter: string;
  range: LogRange;
  /** Custom range bounds (epoch ms), or the deep-linked moment's window. */
  start?: number;
  end?: number;
  /** `?at=`: the moment to point at (an alarm's time). */
  at?: number;
  tasks: TaskOption[];
  tasksError?: string;
  /** A problem found while validating the URL (reversed/future range…). */
  problem?: string;
}

const RANGE_LABEL: Record<LogRange, string> = {
  "5m": "Last 5 minutes",
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  custom: "Custom range",
};

// The zone preference survives reloads.
const zoneKey = "pec.logs.zone";
const zoneListeners = new Set<() => void>();
function useZone(): ["utc" | "local", (z: "utc" | "local") => void] {
  const zone = useSyncExternalStore(
    (l) => (zoneListeners.add(l), () => zoneListeners.delete(l)),
    () => (localStorage.getItem(zoneKey) === "local" ? "local" : "utc"),
    () => "utc" as const,
  );
  const set = useCallback((z: "utc" | "local") => {
    localStorage.setItem(zoneKey, z);
    zoneListeners.forEach((l) => l());
  }, []);
  return [zone, set];
}

/** `datetime-local` value ⇄ epoch ms, in the chosen zone. */
function toInput(ms: number, zone: "utc" | "local"): string {
  const d = new Date(zone === "utc" ? ms : ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
function fromInput(v: string, zone: "utc" | "local"): number | undefined {
  if (!v) return undefined;
  const ms = zone === "utc" ? Date.parse(`${v}:00Z`) : new Date(v).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

const connectionBadge: Record<Connection, { label: string; tone: Tone }> = {
  loading: { label: "Loading", tone: "pending" },
  connecting: { label: "Connecting", tone: "pending" },
  live: { label: "Live", tone: "ok" },
  reconnecting: { label: "Reconnecting", tone: "pending" },
  closed: { label: "Stopped", tone: "failed" },
  idle: { label: "Time range", tone: "neutral" },
};

export function LogViewer(props: LogViewerProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [zone, setZone] = useZone();
  const [now] = useState(() => Date.now());
  const live = props.at === undefined && props.range !== "custom";
  const start = props.start ?? now - RANGE_MS[props.range === "custom" ? "1h" : props.range];
  const end = props.end ?? now;
  const query = useMemo(
    () => ({ env: props.env, source: props.source, task: props.task, filter: props.filter, start, end, live, enabled: !props.problem }),
    [props.env, props.source, props.task, props.filter, start, end, live, props.problem],
  );
  const s = useLogSession(query);
  const [follow, setFollow] = useState(true);
  const [highlight, setHighlight] = useState("");
  const deferredHighlight = useDeferredValue(highlight);
  const [filterDraft, setFilterDraft] = useState(props.filter);
  const [draftProblem, setDraftProblem] = useState<string | undefined>();
  // Custom range inputs show the range in the chosen zone until the user edits them.
  const [startDraft, setCustomStart] = useState<string | undefined>();
  const [endDraft, setCustomEnd] = useState<string | undefined>();
  const customStart = startDraft ?? toInput(start, zone);
  const customEnd = endDraft ?? toInput(end, zone);
  const { lines, version, held, paused, dropped, total } = s.snap;
  // Scrolled up (not following): how many lines arrived below since.
  const [unfollowedAt, setUnfollowedAt] = useState<number | undefined>();
  const changeFollow = useCallback(
    (f: boolean) => {
      setFollow(f);
      setUnfollowedAt(f ? undefined : total);
    },
    [total],
  );

  const navigate = useCallback(
    (change: Record<string, string | undefined>) => {
      const p = new URLSearchParams();
      const merged: Record<string, string | undefined> = {
        source: props.source,
        task: props.task,
        filter: props.filter || undefined,
        range: props.range,
        start: props.range === "custom" && props.start !== undefined ? new Date(props.start).toISOString() : undefined,
        end: props.range === "custom" && props.end !== undefined ? new Date(props.end).toISOString() : undefined,
        ...change,
      };
      if (merged.source !== "task") merged.task = undefined;
      if (merged.range !== "custom") {
        merged.start = undefined;
        merged.end = undefined;
      }
      for (const [k, v] of Object.entries(merged)) if (v) p.set(k, v);
      if (p.get("source") === "all") p.delete("source");
      if (p.get("range") === "5m") p.delete("range");
      router.replace(`${pathname}${p.size ? `?${p}` : ""}`, { scroll: false });
    },
    [props.source, props.task, props.filter, props.range, props.start, props.end, pathname, router],
  );

  const openTask = useCallback((taskId: string) => navigate({ source: "task", task: taskId }), [navigate]);

  const matches = useMemo(() => {
    if (!deferredHighlight) return 0;
    const n = deferredHighlight.toLowerCase();
    let c = 0;
    for (const l of lines) if (l.message.toLowerCase().includes(n)) c++;
    return c;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `lines` is mutated in place; `version` tracks it
  }, [deferredHighlight, version]);

  const download = () => {
    const blob = new Blob([linesToText(s.store.all())], { type: "text/plain;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${props.env}-${props.source}${props.task ? `-${props.task.slice(0, 8)}` : ""}-${new Date().toISOString().replace(/[:.]/g, "")}.log`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const downloadRange = () => {
    const p = new URLSearchParams({ source: props.source, start: String(start), end: String(live ? Date.now() : end) });
    if (props.task) p.set("task", props.task);
    if (props.filter) p.set("filter", props.filter);
    // The route answers with an attachment, so the page stays where it is.
    const a = document.createElement("a");
    a.href = `/api/stacks/${encodeURIComponent(props.env)}/logs/download?${p}`;
    a.download = "";
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  const problem = props.problem ? { message: props.problem, field: "range" } : s.problem;
  const filterError = draftProblem ?? (problem?.field === "filter" ? problem.message : undefined);
  const rangeError = problem?.field === "range" ? problem.message : undefined;
  const otherProblem = problem && !filterError && !rangeError ? problem.message : undefined;
  const badge = paused ? { label: "Paused", tone: "pending" as Tone } : connectionBadge[s.connection];

  return (
    <div className="flex h-[calc(100vh-16.5rem)] min-h-[30rem] flex-col overflow-hidden rounded-lg border bg-card">
      {/* Toolbar: where to read from */}
      <form
        className="flex flex-wrap items-end gap-2 border-b bg-muted/40 px-3 py-2"
        role="search"
        aria-label="Log source and filter"
        onSubmit={(e) => {
          e.preventDefault();
          const problem = filterPatternProblem(filterDraft);
          setDraftProblem(problem);
          if (!problem) navigate({ filter: filterDraft.trim() || undefined });
        }}
      >
        <div className="grid gap-0.5">
          <label htmlFor="logs-source" className="text-[11px] font-medium text-muted-foreground">
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
            <label htmlFor="logs-task" className="text-[11px] font-medium text-muted-foreground">
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
          <label htmlFor="logs-range" className="text-[11px] font-medium text-muted-foreground">
            Time range
          </label>
          <NativeSelect
            id="logs-range"
            value={props.at !== undefined ? "custom" : props.range}
            className="h-7 w-36 text-xs"
            aria-invalid={rangeError ? true : undefined}
            onChange={(e) => {
              const v = e.target.value as LogRange;
              if (v === "custom")
                navigate({ range: "custom", start: new Date(start).toISOString(), end: new Date(end).toISOString(), at: undefined });
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
            <div className="grid gap-0.5">
              <label htmlFor="logs-from" className="text-[11px] font-medium text-muted-foreground">
                From ({zone === "utc" ? "UTC" : "local"})
              </label>
              <Input
                id="logs-from"
                type="datetime-local"
                value={customStart}
                onChange={(e) => setCustomStart(e.target.value)}
                className="h-7 w-44 text-xs"
              />
            </div>
            <div className="grid gap-0.5">
              <label htmlFor="logs-to" className="text-[11px] font-medium text-muted-foreground">
                To ({zone === "utc" ? "UTC" : "local"})
              </label>
              <Input
                id="logs-to"
                type="datetime-local"
                value={customEnd}
                onChange={(e) => setCustomEnd(e.target.value)}
                className="h-7 w-44 text-xs"
              />
            </div>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() => {
                const a = fromInput(customStart, zone);
                const b = fromInput(customEnd, zone);
                navigate({
                  range: "custom",
                  start: a !== undefined ? new Date(a).toISOString() : undefined,
                  end: b !== undefined ? new Date(b).toISOString() : undefined,
                  at: undefined,
                });
              }}
            >
              Apply range
            </Button>
          </>
        ) : null}
        <div className="grid min-w-[16rem] flex-1 gap-0.5">
          <label htmlFor="logs-filter" className="text-[11px] font-medium text-muted-foreground">
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
      {filterError || rangeError ? (
        <p id="logs-filter-error" role="alert" className="border-b bg-failed-soft px-3 py-1.5 text-xs text-failed">
          {filterError ?? rangeError}
        </p>
      ) : null}
      {/* Toolbar: how to look at it */}
      <div className="flex flex-wrap items-center gap-2 border-b px-3 py-1.5 text-xs">
        <StatusBadge tone={badge.tone} label={badge.label} />
        {s.upstream && s.connection === "live" ? (
          <span className="text-muted-foreground" title="How the console reads CloudWatch for everyone watching this source">
            <Radio className="mr-1 inline size-3" />
            {s.upstream.mode === "live-tail" ? "CloudWatch Live Tail" : s.upstream.mode === "polling" ? "FilterLogEvents, 1/s" : "starting"}
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
            onChange={(e) => setHighlight(e.target.value)}
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
                  if (paused) changeFollow(true);
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
                onClick={() => changeFollow(!follow)}
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
                onClick={() => setZone(z)}
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
            onClick={download}
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
            onClick={downloadRange}
            title="Download every line of this time range from CloudWatch (up to 200,000)"
          >
            <FileDown />
            Download range
          </Button>
        </div>
      </div>
      {otherProblem ? (
        <Alert tone="failed" className="m-2">
          {otherProblem}
        </Alert>
      ) : null}
      {s.notice ? (
        <div role="status" className="flex items-center gap-2 border-b bg-pending-soft px-3 py-1 text-xs">
          <span>{s.notice}</span>
          <button type="button" className="ml-auto underline" onClick={s.clearNotice}>
            Dismiss
          </button>
        </div>
      ) : null}
      {props.tasksError && props.source === "task" ? (
        <p className="border-b px-3 py-1 text-xs text-pending">Task list unavailable: {props.tasksError}</p>
      ) : null}
      <div className="relative flex min-h-0 flex-1 flex-col">
        <LogList
          lines={lines}
          version={version}
          zone={zone}
          highlight={deferredHighlight}
          follow={follow && live}
          onFollowChange={changeFollow}
          markTs={props.at}
          onOpenTask={openTask}
          header={
            s.older || s.partial ? (
              <div className="flex items-center justify-center gap-2 border-b py-1 text-xs text-muted-foreground">
                <Button type="button" size="sm" variant="ghost" onClick={s.loadOlder} disabled={s.loadingOlder || !s.older}>
                  {s.loadingOlder ? "Loading older lines…" : "Load older lines"}
                </Button>
              </div>
            ) : null
          }
        />
        {lines.length === 0 && (s.connection === "live" || s.connection === "idle" || s.connection === "connecting") ? (
          <div className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-muted-foreground">
            {props.filter
              ? `No lines match ${props.filter} in this range${live ? " yet — new ones appear here as they arrive" : ""}.`
              : live
                ? "No log lines in this range yet — new ones appear here as they arrive."
                : "No log lines in this range."}
          </div>
        ) : null}
        {s.connection === "loading" ? (
          <div className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-muted-foreground">
            Loading logs…
          </div>
        ) : null}
        {live && !follow && !paused && lines.length > 0 ? (
          <Button type="button" size="sm" className="absolute right-5 bottom-3 shadow-md" onClick={() => changeFollow(true)}>
            <ArrowDownToLine />
            {unfollowedAt !== undefined && total > unfollowedAt
              ? `Jump to latest · ${(total - unfollowedAt).toLocaleString()} new lines`
              : "Jump to latest"}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
