import type { GraphNode } from "@/server/stack/graph";
import { defineResource, diffOf, valueChange, type AnyResource } from "@/server/stack/types";

// In-memory resources with the real module shape, for engine tests that need no AWS: each keeps its state in a
// shared map, counts the mutating calls, and can be told to fail or to need a few polls before it is ready.

export interface FakeWorld {
  state: Map<string, { size: number; readyAfterPolls: number }>;
  calls: string[];
  failCreate: Set<string>;
  /** A specific error to throw from create (e.g. an AWS AccessDenied). */
  createError: Map<string, Error>;
  /** Throw each createError once only (a transient failure). */
  createErrorOnce: boolean;
  /** Wait in create (ms), to interrupt a run mid-step. */
  createDelayMs: number;
}

export function fakeWorld(): FakeWorld {
  return { state: new Map(), calls: [], failCreate: new Set(), createError: new Map(), createErrorOnce: false, createDelayMs: 0 };
}

export function fakeResource(w: FakeWorld, key: string, dependsOn: string[] = [], polls = 0): AnyResource {
  return defineResource<{ size: number }, { size: number; readyAfterPolls: number }>({
    key,
    kind: "fake",
    group: "compute",
    dependsOn,
    name: () => key,
    desired: (ctx) => ({ size: ctx.spec.serverDesiredCount }),
    observe: async () => {
      const s = w.state.get(key);
      if (s && s.readyAfterPolls > 0) s.readyAfterPolls -= 1;
      return s ? { ...s } : undefined;
    },
    diff: (d, o) => diffOf([valueChange("size", d.size, o.size)]),
    create: async (_ctx, d) => {
      w.calls.push(`create ${key}`);
      if (w.createDelayMs) await new Promise((r) => setTimeout(r, w.createDelayMs));
      if (w.failCreate.has(key)) throw new Error(`cannot create ${key}`);
      const err = w.createError.get(key);
      if (err) {
        if (w.createErrorOnce) w.createError.delete(key);
        throw err;
      }
      w.state.set(key, { size: d.size, readyAfterPolls: polls });
    },
    update: async (_ctx, d) => {
      w.calls.push(`update ${key}`);
      const s = w.state.get(key);
      if (s) s.size = d.size;
    },
    delete: async () => {
      w.calls.push(`delete ${key}`);
      w.state.delete(key);
    },
    ready: (o) => (o.readyAfterPolls <= 0 ? true : "warming up"),
    outputs: (o) => ({ size: String(o.size) }),
  });
}

export function fakeGraph(w: FakeWorld): GraphNode[] {
  const rs = [
    fakeResource(w, "net"),
    fakeResource(w, "db", ["net"], 2),
    fakeResource(w, "lb", ["net"]),
    fakeResource(w, "svc", ["db", "lb"], 1),
  ];
  return rs.map((resource) => ({ resource, deps: resource.dependsOn }));
}
