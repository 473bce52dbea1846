import "server-only";
import type { Db } from "@/server/db";
import { stackSnapshot, type SnapshotOptions } from "./snapshot";
import type { StackSnapshot } from "@/lib/ops/types";

// Many viewers of one stack must not multiply AWS calls: concurrent requests share one in-flight snapshot, and a
// snapshot younger than `maxAgeMs` (default 2 s, well under the page's 10 s refresh) is served again. With 20 open
// pages, AWS still sees about one refresh per interval per stack instead of 20 (the ~20 TPS DescribeServices limit).
const DEFAULT_MAX_AGE_MS = 2_000;

interface Entry {
  at: number;
  promise: Promise<StackSnapshot | undefined>;
}

const entries = new Map<string, Entry>();

export async function sharedSnapshot(
  db: Db,
  env: string,
  opts: SnapshotOptions & { maxAgeMs?: number } = {},
): Promise<StackSnapshot | undefined> {
  const now = Date.now();
  const maxAge = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const hit = entries.get(env);
  if (hit && now - hit.at < maxAge) return hit.promise;
  const promise = stackSnapshot(db, env, opts);
  entries.set(env, { at: now, promise });
  promise.catch(() => entries.delete(env));
  return promise;
}

/** After an action, the next request must see AWS's answer, not a snapshot from before it. */
export function invalidateSnapshot(env: string): void {
  entries.delete(env);
}
