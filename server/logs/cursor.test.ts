import { describe, expect, it } from "vitest";
import { ConsoleAwsError } from "@/server/aws/errors";
import type { FilterPage, RawLogEvent } from "@/server/aws/logs";
import { FilterCursor, runCursor } from "./cursor";

const ev = (id: string, ts: number, message = `line ${id}`): RawLogEvent => ({
  id,
  ts,
  ingest: ts,
  stream: "server/prefect-server/t1",
  message,
});

/** A fake FilterLogEvents: answers pages from a script and records every query it got. */
function scripted(pages: (FilterPage | Error)[]) {
  const queries: { startTime: number; nextToken?: string }[] = [];
  const fetch = async (q: { startTime: number; nextToken?: string }) => {
    queries.push(q);
    const next = pages.shift();
    if (!next) return { events: [], nextToken: undefined };
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, queries };
}

describe("FilterCursor", () => {
  it("drops events seen in an earlier overlapping scan (dedupe by eventId)", async () => {
    const { fetch } = scripted([
      { events: [ev("1", 1_000), ev("2", 2_000)], nextToken: undefined },
      { events: [ev("2", 2_000), ev("3", 2_500)], nextToken: undefined },
    ]);
    const c = new FilterCursor(fetch, { startTime: 0, now: () => 3_000 });
    expect((await c.step()).events.map((e) => e.id)).toEqual(["1", "2"]);
    expect((await c.step()).events.map((e) => e.id)).toEqual(["3"]);
  });

  it("follows nextToken through a scan, including empty pages that still carry a token", async () => {
    const { fetch, queries } = scripted([
      { events: [ev("1", 1_000)], nextToken: "t1" },
      { events: [], nextToken: "t2" },
      { events: [ev("2", 1_500)], nextToken: undefined },
    ]);
    const c = new FilterCursor(fetch, { startTime: 500, now: () => 2_000 });
    const r1 = await c.step();
    const r2 = await c.step();
    const r3 = await c.step();
    expect([r1.more, r2.more, r3.more]).toEqual([true, true, false]);
    expect(r2.events).toEqual([]);
    expect(r3.events.map((e) => e.id)).toEqual(["2"]);
    // The same start time for every page of one scan; the tokens in order.
    expect(queries).toEqual([{ startTime: 500 }, { startTime: 500, nextToken: "t1" }, { startTime: 500, nextToken: "t2" }]);
    expect(c.delayAfter(r1)).toBe(c.pageIntervalMs);
    expect(c.delayAfter(r3)).toBe(c.intervalMs);
  });

  it("moves the start to newest event − lookback after a complete scan and prunes what it tracks", async () => {
    const { fetch, queries } = scripted([
      { events: [ev("1", 10_000), ev("2", 50_000)], nextToken: undefined },
      { events: [], nextToken: undefined },
    ]);
    const c = new FilterCursor(fetch, { startTime: 0, lookbackMs: 5_000, now: () => 60_000 });
    await c.step();
    await c.step();
    expect(queries[1]!.startTime).toBe(45_000);
    // id 1 (ts 10 s) is older than the window, so it is no longer tracked; id 2 still is.
    expect(c.position.tracked).toBe(1);
  });

  it("keeps reading events stamped by a clock that runs behind the console's (clock skew)", async () => {
    // Console clock says 1,000,000; the producer's events carry times 2 minutes earlier.
    const skewed = 1_000_000 - 120_000;
    const { fetch, queries } = scripted([
      { events: [ev("1", skewed)], nextToken: undefined },
      { events: [ev("1", skewed), ev("2", skewed + 1_000)], nextToken: undefined },
    ]);
    const c = new FilterCursor(fetch, { startTime: skewed - 10_000, lookbackMs: 10_000, maxLagMs: 5 * 60_000, now: () => 1_000_000 });
    await c.step();
    // Anchored on the newest event, not on "now − lookback" (which would skip the producer's lines).
    expect((await c.step()).events.map((e) => e.id)).toEqual(["2"]);
    expect(queries[1]!.startTime).toBe(skewed - 10_000);
  });

  it("does not run ahead when the console's clock is behind AWS (events from the future are still read)", async () => {
    const { fetch, queries } = scripted([
      { events: [ev("1", 90_000)], nextToken: undefined },
      { events: [], nextToken: undefined },
    ]);
    const c = new FilterCursor(fetch, { startTime: 0, lookbackMs: 5_000, maxLagMs: 60_000, now: () => 30_000 });
    await c.step();
    await c.step();
    // min(newest, now) − lookback: never past our own clock.
    expect(queries[1]!.startTime).toBe(25_000);
  });

  it("bounds the scanned window of a quiet stream to now − maxLag", async () => {
    const { fetch, queries } = scripted([]);
    let now = 1_000_000;
    const c = new FilterCursor(fetch, { startTime: 0, maxLagMs: 60_000, now: () => now });
    await c.step();
    now += 10_000;
    await c.step();
    await c.step();
    expect(queries.map((q) => q.startTime)).toEqual([0, 940_000, 950_000]);
  });

  it("sorts a page's new events by time, even if the API interleaves them out of order", async () => {
    const { fetch } = scripted([{ events: [ev("b", 2_000), ev("a", 1_000), ev("c", 2_000)], nextToken: undefined }]);
    const c = new FilterCursor(fetch, { startTime: 0, now: () => 3_000 });
    expect((await c.step()).events.map((e) => e.id)).toEqual(["a", "b", "c"]);
  });

  it("backs off exponentially with jitter on throttling, capped, and resets after a success", () => {
    const c = new FilterCursor(async () => ({ events: [], nextToken: undefined }), {
      startTime: 0,
      intervalMs: 1_000,
      maxBackoffMs: 8_000,
      random: () => 1,
    });
    const throttled = new ConsoleAwsError("AWS throttled logs:FilterLogEvents", "throttled", true, "ThrottlingException");
    const delays = [1, 2, 3, 4, 5].map(() => {
      const f = c.failure(throttled);
      if (f.terminal) throw new Error("throttling must not be terminal");
      return f.retryInMs;
    });
    expect(delays).toEqual([2_000, 4_000, 8_000, 8_000, 8_000]);
    const low = new FilterCursor(async () => ({ events: [], nextToken: undefined }), { startTime: 0, intervalMs: 1_000, random: () => 0 });
    const f = low.failure(throttled);
    expect(f.terminal === false && f.retryInMs).toBe(1_000);
  });

  it("treats a malformed filter pattern (invalid parameter) as terminal", () => {
    const c = new FilterCursor(async () => ({ events: [], nextToken: undefined }), { startTime: 0 });
    const f = c.failure(
      new ConsoleAwsError(
        "AWS rejected logs:FilterLogEvents on /ecs/prefect-x: Invalid filter pattern",
        "invalid",
        false,
        "InvalidParameterException",
      ),
    );
    expect(f).toMatchObject({ terminal: true, kind: "invalid" });
  });

  it("retries the same page after a throttle and resumes the scan where it was", async () => {
    const throttle = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    const { fetch, queries } = scripted([
      { events: [ev("1", 1_000)], nextToken: "t1" },
      throttle,
      { events: [ev("2", 1_100)], nextToken: undefined },
    ]);
    const c = new FilterCursor(fetch, { startTime: 0, now: () => 2_000, random: () => 0.5 });
    const got: string[] = [];
    const statuses: (string | undefined)[] = [];
    const waits: number[] = [];
    const ctl = new AbortController();
    await runCursor(
      c,
      {
        events: (b) => {
          got.push(...b.map((e) => e.id));
          if (got.length === 2) ctl.abort();
        },
        status: (s) => statuses.push(s),
      },
      ctl.signal,
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(got).toEqual(["1", "2"]);
    expect(queries[1]).toEqual({ startTime: 0, nextToken: "t1" });
    expect(queries[2]).toEqual({ startTime: 0, nextToken: "t1" });
    expect(statuses[0]).toMatch(/throttling/);
    expect(statuses[1]).toBeUndefined();
    expect(waits[1]).toBeGreaterThanOrEqual(1_000); // the backoff, not the page interval
  });

  it("rejects with the AWS error when it is terminal", async () => {
    const bad = new ConsoleAwsError(
      "AWS rejected logs:FilterLogEvents: Invalid character(s) in term",
      "invalid",
      false,
      "InvalidParameterException",
    );
    const { fetch } = scripted([bad]);
    const c = new FilterCursor(fetch, { startTime: 0 });
    await expect(
      runCursor(c, { events: () => undefined, status: () => undefined }, new AbortController().signal, async () => undefined),
    ).rejects.toThrow(/Invalid character/);
  });
});
