import { CloudWatchLogsClient, StartLiveTailCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { adminConfig } from "@/test/fixtures/sandbox";
import { logWriter } from "@/test/fixtures/log-writer";
import { sandboxAdmin } from "@/test/fixtures/sandbox";
import { readSse, type Sse } from "@/test/sse";
import { until } from "@/test/until";

// The log viewer's default path, CloudWatch Logs Live Tail, end to end on the sandbox: the product's SDK client
// decodes the sandbox's event stream, readers are shared, the 15-session quota sends new readers to polling with a
// notice, and a session that fails mid-stream is followed by a new one without a gap or a repeated line.
vi.mock("@/server/auth/current", async () => (await import("@/test/fixtures/viewers")).viewerPerRequest());

process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
process.env.CONSOLE_LOG_LEVEL = "warn";

const region = process.env.AWS_REGION ?? "us-east-1";
// The test writes lines (and fills the Live Tail quota) as the account's administrator: the console may only read logs.
const testClient = () => new CloudWatchLogsClient({ ...adminConfig(), disableHostPrefix: true, maxAttempts: 1 });
const writer = logWriter("lt", testClient());
const { env, group, serverStream, workerStream, client: cwl, put, line } = writer;

type Routes = {
  stream: typeof import("@/app/api/stacks/[env]/logs/stream/route");
  client: typeof import("@/server/aws/client");
  registry: typeof import("@/server/logs/registry");
};
let r: Routes;
const ctx = () => ({ params: Promise.resolve({ env }) });
const url = (query: string) => `http://console.test/api/stacks/${env}/logs/stream?${query}`;
const open = async (query: string, headers?: HeadersInit) => readSse(await r.stream.GET(new Request(url(query), { headers }), ctx()));
const modeOf = (s: Sse) => {
  const st = s.events.filter((e) => e.event === "status").at(-1)?.data as { mode: string; notice?: string } | undefined;
  return st;
};
const liveTailCalls = () => r.client.totalAwsCalls((op) => op === "CloudWatchLogs.StartLiveTail");
const filterCalls = () => r.client.totalAwsCalls((op) => op === "CloudWatchLogs.FilterLogEvents");
const openSessions = async () => ((await sandboxAdmin("/live-tail")) as { open: number }).open;
const noReaders = () => until("no reader running", () => r.registry.logRegistry().stats().length === 0, 15_000);

beforeAll(async () => {
  r = {
    stream: await import("@/app/api/stacks/[env]/logs/stream/route"),
    client: await import("@/server/aws/client"),
    registry: await import("@/server/logs/registry"),
  };
  await writer.create(region);
});

afterAll(() => {
  r.registry.logRegistry().stopAll();
  cwl.destroy();
});

describe("Live Tail on the sandbox", () => {
  it("an SSE client sees lines through Live Tail, without polling", async () => {
    const tails = liveTailCalls();
    const sse = await open("source=server");
    await until("Live Tail mode", () => modeOf(sse)?.mode === "live-tail", 15_000);
    const polls = filterCalls();
    const tag = line("live tail");
    await put(serverStream, [tag]);
    await put(workerStream, [line("worker only")]);
    await until("the put line", () => sse.lines.some((l) => l.message === tag), 10_000, 50);
    expect(sse.lines.every((l) => l.stream === serverStream)).toBe(true);
    expect(liveTailCalls() - tails).toBe(1);
    expect(filterCalls() - polls).toBe(0);
    sse.close();
    await sse.done;
  });

  it("20 viewers of one source share one StartLiveTail session", async () => {
    await noReaders();
    const tails = liveTailCalls();
    const proxyTails = ((await sandboxAdmin("/calls")) as { calls: Record<string, number> }).calls["logs:StartLiveTail"] ?? 0;
    const clients = await Promise.all(Array.from({ length: 20 }, () => open("source=worker&filter=INFO")));
    await until("every viewer in Live Tail mode", () => clients.every((c) => modeOf(c)?.mode === "live-tail"), 20_000);
    const tag = line("INFO fan-out");
    await put(workerStream, [tag]);
    await until("every viewer got the line", () => clients.every((c) => c.lines.some((l) => l.message === tag)), 10_000);
    const proxyNow = ((await sandboxAdmin("/calls")) as { calls: Record<string, number> }).calls["logs:StartLiveTail"] ?? 0;
    expect(liveTailCalls() - tails).toBe(1);
    expect(proxyNow - proxyTails).toBe(1);
    const readers = r.registry
      .logRegistry()
      .stats()
      .filter((s) => s.key.includes("prefix:worker/"));
    expect(readers).toEqual([expect.objectContaining({ viewers: 20, mode: "live-tail" })]);
    clients.forEach((c) => c.close());
    await Promise.all(clients.map((c) => c.done));
  });

  it("a session failing mid-stream is replaced without a gap or a duplicate, and Last-Event-ID resumes exactly", async () => {
    await noReaders();
    const sent: string[] = [];
    const send = async (n: number) => {
      const batch = Array.from({ length: n }, () => line("resume"));
      sent.push(...batch);
      await put(serverStream, batch);
    };
    const ours = (...s: Sse[]) => s.flatMap((x) => x.lines.map((l) => l.message)).filter((m) => m.includes("resume"));
    const first = await open("source=server");
    await until("Live Tail mode", () => modeOf(first)?.mode === "live-tail", 15_000);
    const tails = liveTailCalls();
    // Lines keep coming while CloudWatch breaks the session (SessionStreamingException) and a new one starts.
    for (let i = 0; i < 24; i++) {
      await send(1);
      if (i === 8)
        expect(((await sandboxAdmin("/live-tail/interrupt", "POST")) as { interrupted: number }).interrupted).toBeGreaterThanOrEqual(1);
      await new Promise((res) => setTimeout(res, 150));
    }
    await until("every line", () => ours(first).length >= sent.length, 15_000);
    await new Promise((res) => setTimeout(res, 1_500)); // time for a duplicate to show up, if there were one
    expect(ours(first)).toEqual(sent);
    expect(liveTailCalls() - tails).toBe(1); // the replacement session
    await until("Live Tail again", () => modeOf(first)?.mode === "live-tail");

    // The browser drops and reconnects with Last-Event-ID while the shared reader still runs: replayed from its ring.
    first.close();
    await first.done;
    await send(3);
    await new Promise((res) => setTimeout(res, 1_500));
    const second = await open("source=server", { "Last-Event-ID": first.lastId! });
    await send(2);
    await until("all so far", () => ours(first, second).length >= sent.length, 15_000);
    await new Promise((res) => setTimeout(res, 1_500));
    expect(ours(first, second)).toEqual(sent);

    // Again after the reader has stopped: the gap since a Live Tail line id is back-filled from FilterLogEvents.
    second.close();
    await second.done;
    await noReaders();
    await send(3);
    const third = await open(`source=server&lastEventId=${encodeURIComponent(second.lastId!)}`);
    await send(1);
    await until("all lines", () => ours(first, second, third).length >= sent.length, 15_000);
    await new Promise((res) => setTimeout(res, 1_500));
    expect(ours(first, second, third)).toEqual(sent);
    third.close();
    await third.done;
  });

  it("past the 15-session quota a new reader polls, and the viewer is told why", async () => {
    r.registry.logRegistry().stopAll();
    await noReaders();
    await until("no Live Tail session open", async () => (await openSessions()) === 0, 15_000);
    // Someone else (another console, a colleague's terminal) holds the account's 15 sessions.
    const other = testClient();
    const ctls: AbortController[] = [];
    const held = [];
    for (let i = 0; i < 15; i++) {
      const ctl = new AbortController();
      ctls.push(ctl);
      const out = await other.send(new StartLiveTailCommand({ logGroupIdentifiers: [await groupArn()] }), { abortSignal: ctl.signal });
      held.push(
        (async () => {
          try {
            for await (const m of out.responseStream!) void m;
          } catch {
            // aborted
          }
        })(),
      );
    }
    expect(await openSessions()).toBe(15);
    const sse = await open("source=all");
    await until("polling mode", () => modeOf(sse)?.mode === "polling", 20_000);
    expect(modeOf(sse)?.notice).toMatch(/15 concurrent sessions/);
    const tag = line("polled past the quota");
    await put(serverStream, [tag]);
    await until("the line, by polling", () => sse.lines.some((l) => l.message === tag), 15_000);
    sse.close();
    await sse.done;
    ctls.forEach((c) => c.abort());
    await Promise.all(held);
    other.destroy();
  });
});

async function groupArn(): Promise<string> {
  const { logGroupArn } = await import("@/server/aws/logs");
  return (await logGroupArn(region, group))!;
}
