import { afterEach, describe, expect, it } from "vitest";
import { drain, resetLifecycleForTests } from "@/server/lifecycle/shutdown";
import type { FilterPage, RawLogEvent } from "@/server/aws/logs";
import { encodeLineId, type LogLine } from "@/lib/logs";
import type { Fetch } from "./history";
import type { Upstream, UpstreamSink } from "./live-tail";
import { LogReaderRegistry } from "./registry";
import type { ResolvedSource } from "./sources";
import { openLogStream, SHUTDOWN_RETRY_MS } from "./sse";

const src: ResolvedSource = { key: "all", label: "All streams", region: "us-east-1", logGroupName: "/ecs/prefect-sse" };
const ev = (id: string, ts: number, message = `m${id}`): RawLogEvent => ({ id, ts, ingest: ts, stream: "s", message });

function setup() {
  const sinks: UpstreamSink[] = [];
  const upstream: Upstream = (_p, sink, signal) =>
    new Promise<void>((resolve) => {
      sinks.push(sink);
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  return { reg: new LogReaderRegistry({ upstream, lingerMs: 60_000 }), sinks };
}

interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

/** Reads SSE frames until `until` says stop (or the deadline passes). */
async function readEvents(body: ReadableStream<Uint8Array>, until: (all: SseEvent[]) => boolean, deadlineMs = 3_000) {
  const reader = body.getReader();
  const dec = new TextDecoder();
  const out: SseEvent[] = [];
  const comments: string[] = [];
  let buf = "";
  const deadline = Date.now() + deadlineMs;
  while (!until(out) && Date.now() < deadline) {
    const r = await Promise.race([reader.read(), new Promise<"timeout">((res) => setTimeout(() => res("timeout"), deadline - Date.now()))]);
    if (r === "timeout" || r.done) break;
    buf += dec.decode(r.value, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (block.startsWith(":")) comments.push(block);
      const e: Partial<SseEvent> = {};
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) e.event = line.slice(7);
        else if (line.startsWith("id: ")) e.id = line.slice(4);
        else if (line.startsWith("data: ")) e.data = JSON.parse(line.slice(6));
      }
      if (e.event) out.push(e as SseEvent);
    }
  }
  await reader.cancel();
  return { events: out, comments };
}

const linesOf = (events: SseEvent[]) => events.filter((e) => e.event === "lines").flatMap((e) => (e.data as LogLine[]).map((l) => l.id));
const noFetch = async () => undefined;

describe("openLogStream", () => {
  it("sends the shared reader's lines as `lines` events whose id is the last line's <ts>.<eventId>", async () => {
    const { reg, sinks } = setup();
    const body = openLogStream({ registry: reg, src, filter: "", backfillFetch: noFetch });
    setTimeout(() => sinks[0]!.events([ev("1", 1_000), ev("2", 2_000)]), 10);
    const { events } = await readEvents(body, (all) => linesOf(all).length >= 2);
    expect(linesOf(events)).toEqual(["1", "2"]);
    expect(events.find((e) => e.event === "lines")?.id).toBe("2000.2");
    reg.stopAll();
  });

  it("resumes from Last-Event-ID out of the reader's ring: nothing missed, nothing twice", async () => {
    const { reg, sinks } = setup();
    const first = openLogStream({ registry: reg, src, filter: "", backfillFetch: noFetch });
    setTimeout(() => sinks[0]!.events([ev("1", 1_000), ev("2", 2_000)]), 10);
    const a = await readEvents(first, (all) => linesOf(all).length >= 2);
    const lastId = a.events.filter((e) => e.event === "lines").pop()!.id!;
    // While disconnected (the reader lingers), more lines arrive.
    sinks[0]!.events([ev("3", 3_000), ev("4", 4_000)]);
    const second = openLogStream({ registry: reg, src, filter: "", lastEventId: lastId, backfillFetch: noFetch });
    setTimeout(() => sinks[0]!.events([ev("5", 5_000)]), 30);
    const b = await readEvents(second, (all) => linesOf(all).length >= 3);
    expect(linesOf(b.events)).toEqual(["3", "4", "5"]);
    expect(sinks).toHaveLength(1);
    reg.stopAll();
  });

  it("back-fills from CloudWatch when the reader no longer remembers the id, dropping live overlap", async () => {
    const { reg, sinks } = setup();
    const queries: { startTime: number; endTime: number }[] = [];
    const fetch: Fetch = async (q): Promise<FilterPage> => {
      queries.push(q);
      return { events: [ev("10", 10_000), ev("11", 11_000), ev("12", 12_000), ev("13", 13_000)], nextToken: undefined };
    };
    const body = openLogStream({
      registry: reg,
      src,
      filter: "",
      lastEventId: encodeLineId({ ts: 11_000, id: "11" }),
      backfillFetch: async () => fetch,
      now: () => 20_000,
    });
    // The new reader's first scan overlaps the back-fill (12, 13) and brings one new line (14).
    setTimeout(() => sinks[0]!.events([ev("11", 11_000), ev("12", 12_000), ev("13", 13_000), ev("14", 14_000)]), 10);
    const { events } = await readEvents(body, (all) => linesOf(all).includes("14"));
    expect(linesOf(events)).toEqual(["12", "13", "14"]);
    expect(queries[0]).toEqual({ startTime: 11_000, endTime: 20_000 });
    reg.stopAll();
  });

  it("drops the oldest lines for a browser that reads too slowly, and says how many", async () => {
    const { reg, sinks } = setup();
    const body = openLogStream({ registry: reg, src, filter: "", backfillFetch: noFetch, queueCapacity: 5, batchSize: 100 });
    // Nobody reads yet: 12 lines arrive, the queue keeps 5.
    sinks[0]!.events(Array.from({ length: 12 }, (_, i) => ev(String(i), i)));
    const { events } = await readEvents(body, (all) => linesOf(all).length >= 5);
    expect(events.find((e) => e.event === "notice")?.data).toMatchObject({ dropped: 7 });
    expect(linesOf(events)).toEqual(["7", "8", "9", "10", "11"]);
    reg.stopAll();
  });

  it("sends heartbeat comments while idle, and a `failed` event when the reader fails", async () => {
    const sinkFail: ((e: Error) => void)[] = [];
    const upstream: Upstream = () => new Promise<void>((_r, reject) => sinkFail.push(reject));
    const reg = new LogReaderRegistry({ upstream, lingerMs: 0 });
    const body = openLogStream({ registry: reg, src, filter: "{ bad", backfillFetch: noFetch, heartbeatMs: 20 });
    setTimeout(() => sinkFail[0]!(new Error("Invalid filter pattern")), 120);
    const { events, comments } = await readEvents(body, (all) => all.some((e) => e.event === "failed"));
    expect(comments.length).toBeGreaterThan(0);
    expect(events.find((e) => e.event === "failed")?.data).toEqual({ message: "Invalid filter pattern" });
  });

  it("unsubscribes when the browser goes away", async () => {
    const { reg } = setup();
    const ctl = new AbortController();
    openLogStream({ registry: reg, src, filter: "", backfillFetch: noFetch, signal: ctl.signal });
    expect(reg.stats()[0]?.viewers).toBe(1);
    ctl.abort();
    expect(reg.stats()[0]?.viewers ?? 0).toBe(0);
    reg.stopAll();
  });

  it("ends with a short retry hint when the console shuts down, so the browser reconnects elsewhere", async () => {
    const { reg, sinks } = setup();
    const body = openLogStream({ registry: reg, src, filter: "", backfillFetch: noFetch });
    const reader = body.getReader();
    const dec = new TextDecoder();
    let text = "";
    setTimeout(() => sinks[0]!.events([ev("1", 1_000)]), 10);
    while (!text.includes("event: lines")) text += dec.decode((await reader.read()).value);
    const drained = await drain(1_000);
    expect(drained.timedOut).toEqual([]);
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      text += dec.decode(r.value);
    }
    expect(text.trimEnd().endsWith(`retry: ${SHUTDOWN_RETRY_MS}`)).toBe(true);
    expect(reg.stats()[0]?.viewers ?? 0).toBe(0);
    reg.stopAll();
  });
});

afterEach(() => resetLifecycleForTests());
