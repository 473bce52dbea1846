import { randomBytes } from "node:crypto";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
  type StartLiveTailCommandInput,
  type StartLiveTailResponseStream,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxEnv } from "@/test/fixtures/sandbox";
import { until } from "@/test/until";
import { motoClients, type MotoClients } from "./clients";
import { startAwsProxy, type AwsProxy } from "./aws-proxy/server";
import { LIVE_TAIL_LIMITS } from "./aws-proxy/live-tail";
import { World } from "./world";

// StartLiveTail as CloudWatch answers it, read by the real SDK client (its own event-stream decoder). Each test
// group gets its own AWS proxy (own session quota, own time scale) in front of the shared sandbox's moto.

const region = () => sandboxEnv("AWS_REGION");
const group = `/ecs/prefect-lt-${randomBytes(3).toString("hex")}`;
let arn: string;

const noopSim = { onServiceUpdated: () => undefined, onTasksStarted: async () => undefined, onTaskStopped: () => undefined };
const opened: { proxy: AwsProxy; moto: MotoClients; client: CloudWatchLogsClient }[] = [];

async function proxyAt(timeScale: number) {
  const moto = motoClients(sandboxEnv("SANDBOX_MOTO_ENDPOINT"), region());
  const world = new World({ region: region(), timeScale, tickMs: 1000, logLinesPerTaskPerSec: 0, quiet: true });
  const proxy = await startAwsProxy({ world, moto, sim: noopSim }, sandboxEnv("SANDBOX_MOTO_ENDPOINT"));
  // What the console does against any local endpoint: no `streaming-` host prefix, no retries of the session start.
  const client = new CloudWatchLogsClient({
    region: region(),
    endpoint: proxy.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
  opened.push({ proxy, moto, client });
  return { proxy, client };
}

async function put(client: CloudWatchLogsClient, stream: string, messages: string[]) {
  const now = Date.now();
  await client.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: messages.map((message, i) => ({ timestamp: now + i, message })),
    }),
  );
}

/** Starts a session and reads it in the background. */
async function tail(client: CloudWatchLogsClient, input: Partial<StartLiveTailCommandInput> = {}) {
  const ctl = new AbortController();
  const out = await client.send(new StartLiveTailCommand({ logGroupIdentifiers: [arn], ...input }), { abortSignal: ctl.signal });
  const got: StartLiveTailResponseStream[] = [];
  const state: { error?: Error; ended: boolean } = { ended: false };
  const done = (async () => {
    try {
      for await (const m of out.responseStream!) got.push(m);
    } catch (e) {
      if (!ctl.signal.aborted) state.error = e as Error;
    } finally {
      state.ended = true;
    }
  })();
  return { got, state, done, stop: () => ctl.abort() };
}

const updates = (got: StartLiveTailResponseStream[]) => got.filter((m) => m.sessionUpdate).map((m) => m.sessionUpdate!);
const results = (got: StartLiveTailResponseStream[]) => updates(got).flatMap((u) => u.sessionResults ?? []);
beforeAll(async () => {
  const { client } = await proxyAt(20);
  await client.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (const s of ["server/prefect-server/a", "worker/prefect-worker/b"])
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));
  arn = `arn:aws:logs:${region()}:123456789012:log-group:${group}`;
});

afterAll(async () => {
  for (const o of opened) {
    o.client.destroy();
    await o.proxy.close();
    o.moto.destroy();
  }
});

describe("StartLiveTail in the sandbox", () => {
  it("streams sessionStart, then an update a second with the matching events, decoded by the SDK", async () => {
    const { client } = await proxyAt(20);
    const t = await tail(client, { logStreamNamePrefixes: ["server/"], logEventFilterPattern: "ERROR" });
    await until("sessionStart", () => t.got.length > 0);
    const start = t.got[0]!.sessionStart!;
    expect(start.sessionId).toBeTruthy();
    expect(start.logGroupIdentifiers).toEqual([arn]);
    expect(start.logStreamNamePrefixes).toEqual(["server/"]);
    expect(start.logEventFilterPattern).toBe("ERROR");

    await put(client, "server/prefect-server/a", ["12:00:00.000 | ERROR | boom", "12:00:00.001 | INFO | fine"]);
    await put(client, "worker/prefect-worker/b", ["12:00:00.002 | ERROR | not this stream"]);
    await until("the error line", () => results(t.got).length > 0);
    const [e] = results(t.got);
    expect(e).toMatchObject({ logStreamName: "server/prefect-server/a", logGroupIdentifier: arn, message: "12:00:00.000 | ERROR | boom" });
    expect(typeof e!.timestamp).toBe("number");
    expect(e!.ingestionTime).toBeGreaterThanOrEqual(e!.timestamp!);

    // Idle: empty updates keep coming, about once a second (the stream's heartbeat).
    const before = updates(t.got).length;
    await new Promise((r) => setTimeout(r, 2_600));
    const idle = updates(t.got).slice(before);
    expect(idle.length).toBeGreaterThanOrEqual(2);
    expect(idle.length).toBeLessThanOrEqual(4);
    expect(idle.every((u) => (u.sessionResults ?? []).length === 0 && u.sessionMetadata?.sampled === false)).toBe(true);
    expect(results(t.got)).toHaveLength(1);
    t.stop();
    await t.done;
  });

  it("refuses what CloudWatch refuses, before any stream", async () => {
    const { client } = await proxyAt(20);
    const refuse = async (input: StartLiveTailCommandInput) =>
      client.send(new StartLiveTailCommand(input)).then(
        () => "started",
        (e: Error) => e.name,
      );
    expect(await refuse({ logGroupIdentifiers: [group] })).toBe("InvalidParameterException"); // a name, not an ARN
    expect(await refuse({ logGroupIdentifiers: [`${arn}:*`] })).toBe("InvalidParameterException");
    expect(await refuse({ logGroupIdentifiers: Array.from({ length: 11 }, () => arn) })).toBe("InvalidParameterException");
    expect(await refuse({ logGroupIdentifiers: [arn], logStreamNames: ["a"], logStreamNamePrefixes: ["b"] })).toBe(
      "InvalidParameterException",
    );
    expect(await refuse({ logGroupIdentifiers: [arn, `${arn}-other`], logStreamNamePrefixes: ["server/"] })).toBe(
      "InvalidParameterException",
    );
    expect(await refuse({ logGroupIdentifiers: [arn], logEventFilterPattern: '{ $.level = "ERROR"' })).toBe("InvalidParameterException");
    expect(await refuse({ logGroupIdentifiers: [`${arn}-missing`] })).toBe("ResourceNotFoundException");
  });

  it("allows 15 concurrent sessions per account: the 16th gets LimitExceededException until one ends", async () => {
    const { client, proxy } = await proxyAt(20);
    const sessions = [];
    for (let i = 0; i < LIVE_TAIL_LIMITS.sessionsPerAccount; i++)
      sessions.push(await tail(client, { logStreamNames: ["server/prefect-server/a"] }));
    expect(proxy.liveTail.sessions.size).toBe(15);
    const err = await client.send(new StartLiveTailCommand({ logGroupIdentifiers: [arn] })).then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
    );
    expect(err?.name).toBe("LimitExceededException");
    expect(err?.$metadata?.httpStatusCode).toBe(400);
    // Closing a session (the client ends the stream) frees its slot.
    sessions[0]!.stop();
    await sessions[0]!.done;
    await until("a free slot", () => proxy.liveTail.sessions.size === 14);
    const next = await tail(client);
    await until("the new session's start", () => next.got.some((m) => m.sessionStart));
    for (const s of [...sessions.slice(1), next]) s.stop();
    await Promise.all([...sessions, next].map((s) => s.done));
  });

  it("ends a session after 3 hours (scaled) with SessionTimeoutException", async () => {
    // 3 h at ×10,800 = 1 s.
    const { client } = await proxyAt(10_800);
    const t = await tail(client);
    const startedAt = Date.now();
    await t.done;
    expect(t.state.error?.name).toBe("SessionTimeoutException");
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(800);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("samples more than 500 matching events a second down to 500 and flags it", async () => {
    const { client } = await proxyAt(20);
    const t = await tail(client, { logStreamNames: ["worker/prefect-worker/b"] });
    await until("sessionStart", () => t.got.length > 0);
    await put(
      client,
      "worker/prefect-worker/b",
      Array.from({ length: 1_200 }, (_, i) => `burst line ${i}`),
    );
    await until("the burst", () => results(t.got).length > 0);
    const burst = updates(t.got).find((u) => (u.sessionResults ?? []).length > 0)!;
    expect(burst.sessionResults).toHaveLength(LIVE_TAIL_LIMITS.eventsPerUpdate);
    expect(burst.sessionMetadata?.sampled).toBe(true);
    // A quiet second after it is not sampled.
    const n = updates(t.got).length;
    await until("the next update", () => updates(t.got).length > n, 3_000);
    expect(updates(t.got)[n]!.sessionMetadata?.sampled).toBe(false);
    t.stop();
    await t.done;
  });
});
