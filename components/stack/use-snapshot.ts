"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { StackSnapshot } from "@/lib/ops/types";

export const REFRESH_MS = 10_000;
export const FAST_REFRESH_MS = 2_000;

/**
 * The page's live snapshot: polls GET /api/stacks/<env>/snapshot every 10 s (2 s while an operation is being
 * followed), pauses when the user pauses or the tab is hidden, keeps the last good snapshot when a refresh fails.
 */
export function useSnapshot(initial: StackSnapshot, fast: boolean) {
  const [snapshot, setSnapshot] = useState(initial);
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [hidden, setHidden] = useState(false);
  const inflight = useRef(false);

  const refresh = useCallback(async () => {
    if (inflight.current) return;
    inflight.current = true;
    setLoading(true);
    try {
      const res = await fetch(`/api/stacks/${encodeURIComponent(initial.env)}/snapshot`, { cache: "no-store" });
      const body = (await res.json().catch(() => null)) as (StackSnapshot & { error?: string }) | null;
      if (!res.ok || !body) throw new Error(body?.error ?? `HTTP ${res.status}`);
      setSnapshot(body);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      inflight.current = false;
      setLoading(false);
    }
  }, [initial.env]);

  useEffect(() => {
    const onVis = () => setHidden(document.visibilityState === "hidden");
    document.addEventListener("visibilitychange", onVis);
    return () => document.removeEventListener("visibilitychange", onVis);
  }, []);

  const interval = fast ? FAST_REFRESH_MS : REFRESH_MS;
  useEffect(() => {
    if ((paused && !fast) || hidden) return;
    const t = setInterval(() => void refresh(), interval);
    return () => clearInterval(t);
  }, [paused, hidden, fast, interval, refresh]);

  return { snapshot, setSnapshot, paused, setPaused, error, loading, refresh, interval };
}
