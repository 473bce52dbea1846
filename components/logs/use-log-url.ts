"use client";
import { usePathname, useRouter } from "next/navigation";
import { useCallback } from "react";
import type { LogViewerProps } from "./log-viewer";

/** What the log viewer's URL holds (the page parses and validates it; this writes it). */
export type LogUrlState = Pick<LogViewerProps, "source" | "task" | "filter" | "range" | "start" | "end">;

/**
 * The viewer's state lives in the URL (shareable, survives reloads): `navigate` replaces the query with the current
 * state plus a change, dropping what no longer applies (a task outside `source=task`, bounds outside a custom range)
 * and the defaults (all streams, last 5 minutes).
 */
export function useLogUrl(state: LogUrlState) {
  const router = useRouter();
  const pathname = usePathname();
  const { source, task, filter, range, start, end } = state;
  const navigate = useCallback(
    (change: Record<string, string | undefined>) => {
      const merged: Record<string, string | undefined> = {
        source,
        task,
        filter: filter || undefined,
        range,
        start: range === "custom" && start !== undefined ? new Date(start).toISOString() : undefined,
        end: range === "custom" && end !== undefined ? new Date(end).toISOString() : undefined,
        ...change,
      };
      if (merged.source !== "task") merged.task = undefined;
      if (merged.range !== "custom") {
        merged.start = undefined;
        merged.end = undefined;
      }
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(merged)) if (v) p.set(k, v);
      if (p.get("source") === "all") p.delete("source");
      if (p.get("range") === "5m") p.delete("range");
      router.replace(`${pathname}${p.size ? `?${p}` : ""}`, { scroll: false });
    },
    [source, task, filter, range, start, end, pathname, router],
  );
  const openTask = useCallback((taskId: string) => navigate({ source: "task", task: taskId }), [navigate]);
  return { navigate, openTask };
}
