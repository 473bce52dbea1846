import "server-only";
import { processSingleton } from "@/server/process-singleton";
import type { Db } from "@/server/db";
import { stackSnapshotParts, type SnapshotOptions, type SnapshotParts } from "./snapshot";
import type { StackSnapshot } from "@/lib/ops/types";

// Many viewers of one stack must not multiply AWS calls: concurrent requests share one in-flight snapshot, and a
// snapshot younger than `maxAgeMs` (default 2 s, well under the page's 10 s refresh) is served again. With 20 open
// pages, AWS still sees about one refresh per interval per stack instead of 20 (the ~20 TPS DescribeServices limit).
const DEFAULT_MAX_AGE_MS = 2_000;
// Entries are per stack; the cap bounds memory however many stacks exist (oldest entries go first).
export const MAX_SNAPSHOT_ENTRIES = 100;

interface Entry {
  at: number;
  promise: Promise<SnapshotParts | undefined>;
}

// One cache per process, shared by the page render and the refresh route (process-singleton.ts).
const entries = processSingleton("snapshot-cache", () => new Map<string, Entry>());

/**
 * The shared snapshot's parts: the overview page streams each panel as its promise resolves, and the refresh route
 * awaits `done` — both from the same reads when they ask within `maxAgeMs`.
 */
export function sharedSnapshotParts(
  db: Db,
  env: string,
  opts: SnapshotOptions & { maxAgeMs?: number } = {},
): Promise<SnapshotParts | undefined> {
  const now = Date.now();
  const maxAge = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const hit = entries.get(env);
  if (hit && now - hit.at < maxAge) return hit.promise;
  const promise = stackSnapshotParts(db, env, opts);
  const entry = { at: now, promise };
  entries.delete(env); // re-insert at the end: Map order is insertion order, so the first key is the oldest
  entries.set(env, entry);
  for (const old of entries.keys()) {
    if (entries.size <= MAX_SNAPSHOT_ENTRIES) break;
    entries.delete(old);
  }
  promise.catch(() => {
    if (entries.get(env) === entry) entries.delete(env);
  });
  return promise;
}

export async function sharedSnapshot(
  db: Db,
  env: string,
  opts: SnapshotOptions & { maxAgeMs?: number } = {},
): Promise<StackSnapshot | undefined> {
  return (await sharedSnapshotParts(db, env, opts))?.done;
}

/** After an action, the next request must see AWS's answer, not a snapshot from before it. */
export function invalidateSnapshot(env: string): void {
  entries.delete(env);
}

/** Cached stacks right now (tests). */
export const snapshotCacheSize = () => entries.size;
