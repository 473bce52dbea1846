"use client";
import { ArrowDownToLine } from "lucide-react";
import { useCallback, useDeferredValue, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RANGE_MS, type LogRange, type LogSourceKind } from "@/lib/logs";
import { downloadLoadedLines, downloadRange } from "./downloads";
import { LogList } from "./log-list";
import { LogSourceToolbar } from "./log-source-toolbar";
import { LogStatusBar } from "./log-status-bar";
import { useLogSession } from "./use-log-session";
import { useLogUrl } from "./use-log-url";
import { useZone } from "./use-zone";

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

export function LogViewer(props: LogViewerProps) {
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
  const { navigate, openTask } = useLogUrl(props);
  const [follow, setFollow] = useState(true);
  const [highlight, setHighlight] = useState("");
  const deferredHighlight = useDeferredValue(highlight);
  const [draftProblem, setDraftProblem] = useState<string | undefined>();
  const { lines, version, paused, total } = s.snap;
  // Scrolled up (not following): how many lines arrived below since.
  const [unfollowedAt, setUnfollowedAt] = useState<number | undefined>();
  const changeFollow = useCallback(
    (f: boolean) => {
      setFollow(f);
      setUnfollowedAt(f ? undefined : total);
    },
    [total],
  );

  const matches = useMemo(() => {
    if (!deferredHighlight) return 0;
    const n = deferredHighlight.toLowerCase();
    let c = 0;
    for (const l of lines) if (l.message.toLowerCase().includes(n)) c++;
    return c;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `lines` is mutated in place; `version` tracks it
  }, [deferredHighlight, version]);

  const downloadThisRange = () => {
    const p = new URLSearchParams({ source: props.source, start: String(start), end: String(live ? Date.now() : end) });
    if (props.task) p.set("task", props.task);
    if (props.filter) p.set("filter", props.filter);
    downloadRange(props.env, p);
  };

  const problem = props.problem ? { message: props.problem, field: "range" } : s.problem;
  const filterError = draftProblem ?? (problem?.field === "filter" ? problem.message : undefined);
  const rangeError = problem?.field === "range" ? problem.message : undefined;
  const otherProblem = problem && !filterError && !rangeError ? problem.message : undefined;

  return (
    <div className="flex h-[calc(100vh-16.5rem)] min-h-[30rem] flex-col overflow-hidden rounded-lg border bg-card">
      <LogSourceToolbar
        props={props}
        start={start}
        end={end}
        zone={zone}
        navigate={navigate}
        filterError={filterError}
        rangeError={rangeError}
        onFilterProblem={setDraftProblem}
      />
      {filterError || rangeError ? (
        <p id="logs-filter-error" role="alert" className="border-b bg-failed-soft px-3 py-1.5 text-xs text-failed">
          {filterError ?? rangeError}
        </p>
      ) : null}
      <LogStatusBar
        session={s}
        live={live}
        highlight={highlight}
        onHighlight={setHighlight}
        matches={matches}
        follow={follow}
        onFollow={changeFollow}
        zone={zone}
        onZone={setZone}
        onDownloadLines={() => downloadLoadedLines(s.store.all(), props)}
        onDownloadRange={downloadThisRange}
      />
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
