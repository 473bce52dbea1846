"use client";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { encodeLineId, type LogLine, type LogSourceKind } from "@/lib/logs";
import { LogStore } from "./log-store";

// Loads a time range from the history route and, for live ranges, tails the SSE stream from where the history
// ended (so nothing is missed or shown twice). EventSource reconnects by itself and sends Last-Event-ID.

export interface SessionQuery {
  env: string;
  source: LogSourceKind;
  task?: string;
  filter: string;
  start: number;
  end: number;
  live: boolean;
  /** False while the URL itself is invalid (e.g. a reversed range): nothing is loaded. */
  enabled: boolean;
}

export type Connection = "loading" | "connecting" | "live" | "reconnecting" | "closed" | "idle";

export interface SessionProblem {
  message: string;
  field?: "filter" | "range" | "task" | string;
}

function params(q: SessionQuery, extra: Record<string, string | number | undefined>) {
  const p = new URLSearchParams({ source: q.source });
  if (q.task) p.set("task", q.task);
  if (q.filter) p.set("filter", q.filter);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) p.set(k, String(v));
  return p.toString();
}

/** How the server reads CloudWatch for this source (the stream's `status` event). */
export interface UpstreamStatus {
  mode: string;
  message?: string;
  /** Why it polls although Live Tail was wanted. */
  notice?: string;
}

export function useLogSession(q: SessionQuery) {
  const store = useMemo(() => new LogStore(), []);
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const [connection, setConnection] = useState<Connection>(q.enabled ? "loading" : "closed");
  const [problem, setProblem] = useState<SessionProblem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [upstream, setUpstream] = useState<UpstreamStatus | undefined>();
  const [older, setOlder] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [partial, setPartial] = useState(false);
  const base = `/api/stacks/${encodeURIComponent(q.env)}/logs`;

  useEffect(() => {
    const ctl = new AbortController();
    let es: EventSource | undefined;
    // One session per mount: the page remounts the viewer (new key) whenever source, filter or range change.
    if (!q.enabled) return;
    (async () => {
      const res = await fetch(`${base}/history?${params(q, { start: q.start, end: q.end, limit: 2000 })}`, {
        signal: ctl.signal,
        cache: "no-store",
      });
      const body = (await res.json().catch(() => ({}))) as {
        lines?: LogLine[];
        older?: string | null;
        partial?: boolean;
        error?: string;
        field?: string;
      };
      if (!res.ok) {
        setProblem({ message: body.error ?? `Loading logs failed (HTTP ${res.status}).`, field: body.field });
        setConnection("closed");
        return;
      }
      const lines = body.lines ?? [];
      store.reset(lines);
      setOlder(body.older ?? null);
      setPartial(Boolean(body.partial));
      if (!q.live) {
        setConnection("idle");
        return;
      }
      const newest = lines[lines.length - 1];
      const resume = newest ? { lastEventId: encodeLineId(newest) } : { since: q.end };
      setConnection("connecting");
      es = new EventSource(`${base}/stream?${params(q, resume)}`);
      es.onopen = () => setConnection("live");
      es.onerror = () => setConnection(es?.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
      es.addEventListener("lines", (e) => store.append(JSON.parse((e as MessageEvent<string>).data) as LogLine[]));
      es.addEventListener("status", (e) => setUpstream(JSON.parse((e as MessageEvent<string>).data) as UpstreamStatus));
      es.addEventListener("notice", (e) => setNotice((JSON.parse((e as MessageEvent<string>).data) as { message: string }).message));
      es.addEventListener("failed", (e) => {
        const { message } = JSON.parse((e as MessageEvent<string>).data) as { message: string };
        setProblem({ message, field: /filter|pattern|term/i.test(message) ? "filter" : undefined });
        es?.close();
        setConnection("closed");
      });
    })().catch((err: unknown) => {
      if (ctl.signal.aborted) return;
      setProblem({ message: err instanceof Error ? err.message : String(err) });
      setConnection("closed");
    });
    return () => {
      ctl.abort();
      es?.close();
    };
  }, [store, base, q]);

  const loadOlder = useCallback(async () => {
    if (!older) return;
    setLoadingOlder(true);
    try {
      const cur = q;
      const res = await fetch(`${base}/history?${params(cur, { start: cur.start, end: cur.end, limit: 2000, cursor: older })}`, {
        cache: "no-store",
      });
      const body = (await res.json().catch(() => ({}))) as { lines?: LogLine[]; older?: string | null; error?: string };
      if (!res.ok) return setNotice(body.error ?? `Loading older lines failed (HTTP ${res.status}).`);
      const added = store.prepend(body.lines ?? []);
      if (added === 0 && (body.lines?.length ?? 0) > 0)
        setNotice(`The viewer holds at most ${store.cap.toLocaleString()} lines; download the range to see more.`);
      setOlder(body.older ?? null);
    } finally {
      setLoadingOlder(false);
    }
  }, [older, base, store, q]);

  return {
    store,
    snap,
    connection,
    problem,
    notice,
    clearNotice: () => setNotice(undefined),
    upstream,
    older,
    loadOlder,
    loadingOlder,
    partial,
  };
}
