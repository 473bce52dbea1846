import { afterEach, describe, expect, it, vi } from "vitest";
import type { RawLogEvent } from "@/server/aws/logs";
import type { LogLine } from "@/lib/logs";
import type { Upstream, UpstreamParams, UpstreamSink } from "./live-tail";
import { LogCapacityError, LogReaderRegistry, type ReaderListener } from "./registry";
import type { ResolvedSource } from "./sources";

const src: ResolvedSource = {
  key: "prefix:server/",
  label: "Server",
  region: "us-east-1",
  logGroupName: "/ecs/prefect-test",
  streamPrefix: "server/",
};
const ev = (id: string, ts: number): RawLogEvent => ({ id, ts, ingest: ts, stream: "server/prefect-server/t1", message: `m${id}` });

function fakeUpstream() {
  const runs: { p: UpstreamParams; sink: UpstreamSink; signal: AbortSignal; fail: (e: Error) => void }[] = [];
  const upstream: Upstream = (p, sink, signal) =>
    new Promise<void>((resolve, reject) => {
      runs.push({ p, sink, signal, fail: reject });
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  return { upstream, runs };
}

function collector() {
  const lines: LogLine[] = [];
  const failures: string[] = [];
  const listener: ReaderListener = { lines: (b) => lines.push(...b), status: () => undefined, failed: (m) => failures.push(m) };
  return { lines, failures, listener };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("LogReaderRegistry", () => {
  it("starts one upstream on the first subscriber and shares it with every other viewer", () => {
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 0 });
    const viewers = Array.from({ length: 20 }, () => collector());
    const subs = viewers.map((v) => reg.subscribe(src, "", v.listener));
    expect(runs).toHaveLength(1);
    runs[0]!.sink.events([ev("1", 1), ev("2", 2)]);
    for (const v of viewers) expect(v.lines.map((l) => l.id)).toEqual(["1", "2"]);
    expect(reg.stats()).toEqual([expect.objectContaining({ viewers: 20 })]);
    subs.forEach((s) => s.unsubscribe());
  });

  it("stops the upstream after the last viewer leaves, not before", () => {
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 0 });
    const a = reg.subscribe(src, "", collector().listener);
    const b = reg.subscribe(src, "", collector().listener);
    a.unsubscribe();
    expect(runs[0]!.signal.aborted).toBe(false);
    a.unsubscribe(); // twice is harmless
    expect(runs[0]!.signal.aborted).toBe(false);
    b.unsubscribe();
    expect(runs[0]!.signal.aborted).toBe(true);
    expect(reg.stats()).toEqual([]);
    // A new viewer afterwards starts a fresh reader.
    reg.subscribe(src, "", collector().listener).unsubscribe();
    expect(runs).toHaveLength(2);
  });

  it("lingers briefly so a reload reuses the reader", () => {
    vi.useFakeTimers();
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 5_000 });
    reg.subscribe(src, "", collector().listener).unsubscribe();
    vi.advanceTimersByTime(3_000);
    const again = reg.subscribe(src, "", collector().listener);
    vi.advanceTimersByTime(10_000);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.signal.aborted).toBe(false);
    again.unsubscribe();
    vi.advanceTimersByTime(5_000);
    expect(runs[0]!.signal.aborted).toBe(true);
  });

  it("keeps separate readers per source and per filter pattern, and passes the pattern through unchanged", () => {
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 0 });
    const pattern = '{ $.level = "ERROR" && $.msg = "*timeout*" }';
    reg.subscribe(src, "", collector().listener);
    reg.subscribe(src, pattern, collector().listener);
    reg.subscribe(src, pattern, collector().listener);
    reg.subscribe({ ...src, key: "prefix:worker/", streamPrefix: "worker/" }, pattern, collector().listener);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.p.filter)).toEqual(["", pattern, pattern]);
    reg.stopAll();
  });

  it("replays what a reconnecting viewer missed from the reader's ring", () => {
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 0, replayCapacity: 3 });
    const sub = reg.subscribe(src, "", collector().listener);
    runs[0]!.sink.events([ev("1", 1), ev("2", 2), ev("3", 3), ev("4", 4)]);
    expect(sub.replayAfter("2")?.map((l) => l.id)).toEqual(["3", "4"]);
    expect(sub.replayAfter("4")).toEqual([]);
    // "1" fell out of the 3-line ring: the caller must back-fill instead.
    expect(sub.replayAfter("1")).toBeUndefined();
    sub.unsubscribe();
  });

  it("reports a terminal upstream error to every viewer and forgets the reader", async () => {
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 0 });
    const a = collector();
    const b = collector();
    reg.subscribe(src, "{ bad", a.listener);
    reg.subscribe(src, "{ bad", b.listener);
    runs[0]!.fail(new Error("Invalid filter pattern"));
    await vi.waitFor(() => expect(a.failures).toEqual(["Invalid filter pattern"]));
    expect(b.failures).toEqual(["Invalid filter pattern"]);
    expect(reg.stats()).toEqual([]);
  });

  it("a listener that unsubscribed gets nothing more", () => {
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 0 });
    const gone = collector();
    const stays = collector();
    reg.subscribe(src, "", gone.listener).unsubscribe();
    // The reader stopped with its only viewer; a new one starts for the next.
    reg.subscribe(src, "", stays.listener);
    runs[1]!.sink.events([ev("9", 9)]);
    runs[0]!.sink.events([ev("8", 8)]); // a late batch from the stopped reader is ignored
    expect(gone.lines).toEqual([]);
    expect(stays.lines.map((l) => l.id)).toEqual(["9"]);
    reg.stopAll();
  });

  it("caps one user's open views and the readers running in total, with a message saying which", () => {
    const { upstream, runs } = fakeUpstream();
    const reg = new LogReaderRegistry({ upstream, lingerMs: 60_000, maxReaders: 2, maxViewsPerUser: 3 });
    const other = (n: number): ResolvedSource => ({ ...src, key: `task:${n}` });
    const mine = [0, 0, 1].map((n) => reg.subscribe(other(n), "", collector().listener, "ann"));
    expect(() => reg.subscribe(src, "", collector().listener, "ann")).toThrow(/3 live log views open/);
    // Two readers run (ann's two sources); a third source is refused for anybody while both are watched…
    expect(runs).toHaveLength(2);
    expect(() => reg.subscribe(other(2), "", collector().listener, "bob")).toThrow(LogCapacityError);
    expect(() => reg.subscribe(other(2), "", collector().listener, "bob")).toThrow(/already reading 2 different log streams/);
    // …but joining a running one is free, and a reader nobody watches any more makes room at once.
    const bobShares = reg.subscribe(other(0), "", collector().listener, "bob");
    mine[2]!.unsubscribe();
    const bobNew = reg.subscribe(other(2), "", collector().listener, "bob");
    expect(runs).toHaveLength(3);
    expect(
      reg
        .stats()
        .map((r) => r.viewers)
        .sort(),
    ).toEqual([1, 3]);
    // ann closed one view, so she may open another.
    const annAgain = reg.subscribe(other(0), "", collector().listener, "ann");
    for (const s of [...mine, bobShares, bobNew, annAgain]) s.unsubscribe();
    reg.stopAll();
  });
});
