// Isomorphic: the timeline's entry type and the pure merge (unit-tested).

export type TimelineKind = "service-event" | "deployment" | "scaling" | "alarm" | "audit";

export interface TimelineEntry {
  /** Stable key for de-duplication across refreshes. */
  key: string;
  at: number;
  kind: TimelineKind;
  source: string; // prefect-server, prefect-high-cpu-production, ann@example.com …
  title: string;
  detail: string | null;
  tone: "ok" | "pending" | "failed" | "neutral";
}

/** Newest first; de-duplicated by key; ties broken by kind then key so the order is stable. */
export function mergeTimeline(lists: TimelineEntry[][], limit = 300, since = 0): TimelineEntry[] {
  const seen = new Map<string, TimelineEntry>();
  for (const list of lists) for (const e of list) if (e.at >= since && !seen.has(e.key)) seen.set(e.key, e);
  return [...seen.values()].sort((a, b) => b.at - a.at || a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key)).slice(0, limit);
}
