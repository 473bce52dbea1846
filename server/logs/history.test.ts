import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { RawLogEvent } from "@/server/aws/logs";
import { decodeCursor, historyPage, sourceFetch, type Fetch } from "./history";
import { pollingUpstream } from "./live-tail";
import type { ResolvedSource } from "./sources";

const ev = (id: string, ts: number): RawLogEvent => ({ id: id.padStart(4, "0"), ts, ingest: ts, stream: "s", message: `m${id}` });

/** A fake FilterLogEvents over a fixed set of events, paging every `pageSize` events like CloudWatch does. */
function fakeGroup(events: RawLogEvent[], pageSize = 3) {
  const calls: { startTime: number; endTime: number; nextToken?: string }[] = [];
  const fetch: Fetch = async (q) => {
    calls.push(q);
    const inRange = events.filter((e) => e.ts >= q.startTime && e.ts <= q.endTime).sort((a, b) => a.ts - b.ts);
    const offset = q.nextToken ? Number(q.nextToken) : 0;
    const page = inRange.slice(offset, offset + pageSize);
    return { events: page, nextToken: offset + pageSize < inRange.length ? String(offset + pageSize) : undefined };
  };
  return { fetch, calls };
}

describe("historyPage", () => {
  const events = Array.from({ length: 50 }, (_, i) => ev(String(i), 1_000 + i * 1_000)); // one per second

  it("returns the newest lines of the range first, oldest first within the page", async () => {
    const { fetch } = fakeGroup(events);
    const page = await historyPage(fetch, { start: 0, end: 100_000, limit: 5, initialWindowMs: 10_000 });
    expect(page.lines.map((l) => l.message)).toEqual(["m45", "m46", "m47", "m48", "m49"]);
    expect(page.older).toBeDefined();
  });

  it("loads older pages without gaps or repeats until the start of the range", async () => {
    const { fetch } = fakeGroup(events);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await historyPage(fetch, {
        start: 0,
        end: 100_000,
        limit: 7,
        cursor: cursor ? decodeCursor(cursor) : undefined,
        initialWindowMs: 4_000,
      });
      seen.unshift(...page.lines.map((l) => l.message));
      cursor = page.older;
      if (!cursor) break;
    }
    expect(seen).toEqual(events.map((e) => e.message));
  });

  it("pages through lines that share one millisecond", async () => {
    const same = Array.from({ length: 9 }, (_, i) => ev(String(i), 5_000));
    const { fetch } = fakeGroup(same, 4);
    const first = await historyPage(fetch, { start: 0, end: 10_000, limit: 4 });
    const second = await historyPage(fetch, { start: 0, end: 10_000, limit: 4, cursor: decodeCursor(first.older!) });
    const third = await historyPage(fetch, { start: 0, end: 10_000, limit: 4, cursor: decodeCursor(second.older!) });
    const all = [...third.lines, ...second.lines, ...first.lines].map((l) => l.id);
    expect(new Set(all).size).toBe(9);
  });

  it("narrows a window that is too dense to scan within its page budget", async () => {
    const dense = Array.from({ length: 200 }, (_, i) => ev(String(i), 50_000 + i * 10)); // 100 lines/s
    const { fetch } = fakeGroup(dense, 10);
    const page = await historyPage(fetch, { start: 0, end: 60_000, limit: 20, initialWindowMs: 60_000, maxPagesPerWindow: 3 });
    expect(page.lines.map((l) => l.message)).toEqual(dense.slice(-20).map((e) => e.message));
  });

  it("stops at the call budget and says the page is partial", async () => {
    const { fetch, calls } = fakeGroup(events, 1);
    const page = await historyPage(fetch, { start: 0, end: 100_000, limit: 40, maxCalls: 5, initialWindowMs: 2_000 });
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(page.partial).toBe(true);
    expect(page.older).toBeDefined();
  });
});

describe("filter pattern pass-through to CloudWatch", () => {
  const cwl = mockClient(CloudWatchLogsClient);
  afterEach(() => cwl.reset());
  const src: ResolvedSource = {
    key: "prefix:worker/",
    label: "Worker",
    region: "eu-west-1",
    logGroupName: "/ecs/prefect-pt",
    streamPrefix: "worker/",
  };

  it("sends the pattern byte for byte, with the source's stream-name prefix (every stream, however many), interleaved", async () => {
    cwl.on(FilterLogEventsCommand).resolves({ events: [] });
    const pattern = '{ ($.level = "ERROR") || ($.message = "*Timeout*") } ?"quoted term"';
    const fetch = await sourceFetch(src, pattern);
    await fetch!({ startTime: 1, endTime: 2 });
    const input = cwl.commandCalls(FilterLogEventsCommand)[0]!.args[0].input;
    expect(input.logStreamNames).toBeUndefined();
    expect(cwl.commandCalls(DescribeLogStreamsCommand)).toHaveLength(0);
    expect(input).toMatchObject({
      logGroupName: "/ecs/prefect-pt",
      filterPattern: pattern,
      logStreamNamePrefix: "worker/",
      interleaved: true,
      startTime: 1,
      endTime: 2,
    });
  });

  it("live tail makes no FilterLogEvents call for a prefix with no streams yet (an empty list would read the whole group)", async () => {
    cwl.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });
    cwl.on(FilterLogEventsCommand).resolves({ events: [] });
    const ctl = new AbortController();
    const run = pollingUpstream({ intervalMs: 10, startTime: 0 })(
      { src, filter: "ERROR" },
      { events: () => undefined, status: () => undefined, mode: () => undefined },
      ctl.signal,
    );
    await new Promise((r) => setTimeout(r, 60));
    ctl.abort();
    await run;
    expect(cwl.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });

  it("the live reader passes the pattern unchanged too", async () => {
    cwl.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: "worker/prefect-worker/abc", creationTime: 1 }] });
    cwl
      .on(FilterLogEventsCommand)
      .resolves({ events: [{ eventId: "1", timestamp: 5, message: "ERROR x", logStreamName: "worker/prefect-worker/abc" }] });
    const ctl = new AbortController();
    const got: string[] = [];
    const pattern = "[ts, level=ERROR*, ...]";
    const run = pollingUpstream({ intervalMs: 10, startTime: 0 })(
      { src, filter: pattern },
      { events: (b) => (got.push(...b.map((e) => e.message)), ctl.abort()), status: () => undefined, mode: () => undefined },
      ctl.signal,
    );
    await run;
    expect(got).toEqual(["ERROR x"]);
    expect(cwl.commandCalls(FilterLogEventsCommand)[0]!.args[0].input.filterPattern).toBe(pattern);
  });
});
