import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  StartLiveTailCommand,
  type StartLiveTailResponseStream,
} from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { RawLogEvent } from "@/server/aws/logs";
import { until } from "@/test/until";
import { autoUpstream, LIVE_TAIL_NOTICES } from "./live-tail";
import type { ResolvedSource } from "./sources";

const cwl = mockClient(CloudWatchLogsClient);
afterEach(() => cwl.reset());

let regionSeq = 0;
// A fresh region per test: the "Live Tail unsupported here" memory is per region.
const src = (): ResolvedSource => ({
  key: "prefix:server/",
  label: "Server",
  region: `xx-test-${++regionSeq}`,
  logGroupName: "/ecs/prefect-lt",
  streamPrefix: "server/",
});

async function* stream(messages: StartLiveTailResponseStream[], hold = false): AsyncGenerator<StartLiveTailResponseStream> {
  for (const m of messages) yield m;
  if (hold) await new Promise(() => undefined);
}

function run(s: ResolvedSource, filter = "") {
  const ctl = new AbortController();
  const got: RawLogEvent[] = [];
  const modes: string[] = [];
  const done = autoUpstream({ liveTail: true, poll: { intervalMs: 20 } })(
    { src: s, filter },
    { events: (b) => got.push(...b), status: () => undefined, mode: (m) => modes.push(m) },
    ctl.signal,
  );
  return { ctl, got, modes, done };
}

describe("autoUpstream", () => {
  it("uses Live Tail when it starts, with the source's prefix and the filter pattern unchanged", async () => {
    cwl
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: "/ecs/prefect-lt", logGroupArn: "arn:aws:logs:xx:1:log-group:/ecs/prefect-lt" }] });
    cwl.on(StartLiveTailCommand).resolves({
      responseStream: stream(
        [
          { sessionStart: { sessionId: "s1" } },
          {
            sessionUpdate: {
              sessionMetadata: { sampled: false },
              sessionResults: [
                { timestamp: 1, ingestionTime: 2, logStreamName: "server/prefect-server/t", message: "same" },
                { timestamp: 1, ingestionTime: 2, logStreamName: "server/prefect-server/t", message: "same" },
              ],
            },
          },
        ],
        true,
      ),
    });
    // The session's start back-fills the seconds before it (Live Tail only carries what is ingested after it starts).
    cwl.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: "server/prefect-server/t", creationTime: 1 }] });
    cwl.on(FilterLogEventsCommand).resolves({ events: [] });
    const r = run(src(), '{ $.level = "ERROR" }');
    await until("both events", () => r.got.length === 2, 3_000, 10);
    expect(r.modes).toEqual(["live-tail"]);
    // Two identical lines stay two lines, with different ids.
    expect(new Set(r.got.map((e) => e.id)).size).toBe(2);
    const input = cwl.commandCalls(StartLiveTailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      logGroupIdentifiers: ["arn:aws:logs:xx:1:log-group:/ecs/prefect-lt"],
      logStreamNamePrefixes: ["server/"],
      logEventFilterPattern: '{ $.level = "ERROR" }',
    });
    expect(cwl.commandCalls(FilterLogEventsCommand)).toHaveLength(1); // that back-fill, no polling
    r.ctl.abort();
    await r.done;
  });

  it("falls back to FilterLogEvents polling when Live Tail is not available, and remembers that for the region", async () => {
    const s = src();
    cwl.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: "/ecs/prefect-lt", logGroupArn: "arn:x" }] });
    cwl.on(StartLiveTailCommand).rejects(Object.assign(new Error("getaddrinfo ENOTFOUND stream-127.0.0.1"), { name: "Error" }));
    cwl.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: "server/prefect-server/t", creationTime: 1 }] });
    cwl
      .on(FilterLogEventsCommand)
      .resolves({ events: [{ eventId: "e1", timestamp: Date.now(), message: "polled", logStreamName: "server/prefect-server/t" }] });
    const r = run(s);
    await until("the first events", () => r.got.length > 0, 3_000, 10);
    expect(r.modes).toEqual(["polling"]);
    expect(r.got[0]!.message).toBe("polled");
    r.ctl.abort();
    await r.done;
    // A second reader in the same region goes straight to polling.
    const again = run(s);
    await until("the second reader's events", () => again.got.length > 0, 3_000, 10);
    expect(cwl.commandCalls(StartLiveTailCommand)).toHaveLength(1);
    again.ctl.abort();
    await again.done;
  });

  it("switches to polling when Live Tail starts sampling, without repeating what it delivered", async () => {
    const now = Date.now();
    cwl.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: "/ecs/prefect-lt", logGroupArn: "arn:x" }] });
    cwl.on(StartLiveTailCommand).resolves({
      responseStream: stream([
        { sessionStart: { sessionId: "s1" } },
        {
          sessionUpdate: {
            sessionMetadata: { sampled: false },
            sessionResults: [{ timestamp: now, ingestionTime: now, logStreamName: "server/prefect-server/t", message: "first" }],
          },
        },
        { sessionUpdate: { sessionMetadata: { sampled: true }, sessionResults: [] } },
      ]),
    });
    cwl.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: "server/prefect-server/t", creationTime: 1 }] });
    cwl.on(FilterLogEventsCommand).resolves({
      events: [
        { eventId: "e1", timestamp: now, message: "first", logStreamName: "server/prefect-server/t" },
        { eventId: "e2", timestamp: now + 1, message: "second", logStreamName: "server/prefect-server/t" },
      ],
    });
    const r = run(src());
    await until("the second event", () => r.got.some((e) => e.message === "second"), 3_000, 10);
    expect(r.got.map((e) => e.message)).toEqual(["first", "second"]);
    expect(r.modes).toEqual(["live-tail", "polling"]);
    // Polling resumed from where Live Tail stopped (minus the lookback), not from "now".
    expect(cwl.commandCalls(FilterLogEventsCommand)[0]!.args[0].input.startTime).toBeLessThanOrEqual(now);
    r.ctl.abort();
    await r.done;
  });
});

describe("autoUpstream, when Live Tail cannot serve everyone", () => {
  it("polls with a notice saying why when the account's 15 sessions are in use", async () => {
    cwl.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: "/ecs/prefect-lt", logGroupArn: "arn:x" }] });
    cwl
      .on(StartLiveTailCommand)
      .rejects(Object.assign(new Error("maximum number of concurrent Live Tail sessions"), { name: "LimitExceededException" }));
    cwl.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: "server/prefect-server/t", creationTime: 1 }] });
    cwl.on(FilterLogEventsCommand).resolves({ events: [] });
    const ctl = new AbortController();
    const modes: { mode: string; notice?: string }[] = [];
    const done = autoUpstream({ liveTail: true, poll: { intervalMs: 20 } })(
      { src: src(), filter: "" },
      { events: () => undefined, status: () => undefined, mode: (mode, notice) => modes.push({ mode, notice }) },
      ctl.signal,
    );
    await until("polling", () => modes.length > 0, 3_000, 10);
    expect(modes).toEqual([{ mode: "polling", notice: LIVE_TAIL_NOTICES.quota }]);
    ctl.abort();
    await done;
  });

  it("a session failing mid-stream is followed by a new one whose start back-fills the gap, without repeats", async () => {
    const now = Date.now();
    const ev = (ts: number, message: string) => ({ timestamp: ts, ingestionTime: ts, logStreamName: "server/prefect-server/t", message });
    cwl.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: "/ecs/prefect-lt", logGroupArn: "arn:x" }] });
    async function* broken(): AsyncGenerator<StartLiveTailResponseStream> {
      yield { sessionStart: { sessionId: "s1" } };
      yield { sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults: [ev(now, "one")] } };
      throw Object.assign(new Error("Internal error"), { name: "SessionStreamingException" });
    }
    cwl
      .on(StartLiveTailCommand)
      .resolvesOnce({ responseStream: broken() })
      .resolvesOnce({
        responseStream: stream(
          [
            { sessionStart: { sessionId: "s2" } },
            { sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults: [ev(now + 3, "four")] } },
          ],
          true,
        ),
      });
    cwl.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: "server/prefect-server/t", creationTime: 1 }] });
    // The back-fill sees the gap's lines and the one Live Tail already delivered.
    cwl.on(FilterLogEventsCommand).resolves({
      events: [
        { eventId: "1", timestamp: now, message: "one", logStreamName: "server/prefect-server/t" },
        { eventId: "2", timestamp: now + 1, message: "two", logStreamName: "server/prefect-server/t" },
        { eventId: "3", timestamp: now + 2, message: "three", logStreamName: "server/prefect-server/t" },
      ],
    });
    const r = run(src());
    await until("the new session's line", () => r.got.some((e) => e.message === "four"), 3_000, 10);
    expect(r.got.map((e) => e.message)).toEqual(["one", "two", "three", "four"]);
    expect(cwl.commandCalls(StartLiveTailCommand)).toHaveLength(2);
    expect(r.modes.every((m) => m === "live-tail")).toBe(true);
    r.ctl.abort();
    await r.done;
  });
});
