import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LogLine } from "@/lib/logs";
import { readSse } from "@/test/sse";
import { logWriter } from "@/test/fixtures/log-writer";
import { until } from "@/test/until";

// The log viewer's routes against the sandbox (moto behind the AWS proxy): real FilterLogEvents, real SSE bodies.
// Only the session is stubbed (route handlers read it from Next's request scope); everything else is the product.
// This file proves the polling path (what readers use where Live Tail is unavailable or over its quota), so Live Tail
// is off here; live-tail.int.test.ts proves the default path.
process.env.CONSOLE_LOGS_LIVE_TAIL = "off";
vi.mock("@/server/auth/current", async () => (await import("@/test/fixtures/viewers")).viewerPerRequest());

process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
process.env.CONSOLE_LOG_LEVEL = "warn";

const region = process.env.AWS_REGION ?? "us-east-1";
const writer = logWriter("logs");
const { env, serverStream, workerStream, put, line } = writer;

type Routes = {
  download: typeof import("@/app/api/stacks/[env]/logs/download/route");
  stream: typeof import("@/app/api/stacks/[env]/logs/stream/route");
  history: typeof import("@/app/api/stacks/[env]/logs/history/route");
  client: typeof import("@/server/aws/client");
  registry: typeof import("@/server/logs/registry");
};
let r: Routes;
const ctx = (e = env) => ({ params: Promise.resolve({ env: e }) });
const base = (path: string, e = env) => `http://console.test/api/stacks/${e}/logs/${path}`;

beforeAll(async () => {
  r = {
    download: await import("@/app/api/stacks/[env]/logs/download/route"),
    stream: await import("@/app/api/stacks/[env]/logs/stream/route"),
    history: await import("@/app/api/stacks/[env]/logs/history/route"),
    client: await import("@/server/aws/client"),
    registry: await import("@/server/logs/registry"),
  };
  await writer.create(region);
  await put(serverStream, [line("before")]);
});

afterAll(() => {
  r.registry.logRegistry().stopAll();
});

describe("log stream route on the sandbox", () => {
  it("delivers a line put with PutLogEvents to an SSE client", async () => {
    const res = await r.stream.GET(new Request(base("stream?source=server")), ctx());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const sse = readSse(res);
    // Wait until the reader is up (its status event), then put a line and time its arrival.
    await until("status event", () => sse.events.some((e) => e.event === "status"));
    const tag = line("live");
    await put(serverStream, [tag]);
    const putAt = Date.now();
    await until("the put line", () => sse.lines.some((l) => l.message === tag), 15_000, 50);
    const ms = Date.now() - putAt;
    expect(ms).toBeLessThan(5_000);
    // The worker's lines are not part of the server source.
    await put(workerStream, [line("worker-only")]);
    await put(serverStream, [line("server-after")]);
    await until("the next server line", () => sse.lines.some((l) => l.message.includes("server-after")));
    expect(sse.lines.every((l) => l.stream === serverStream)).toBe(true);
    sse.close();
    await sse.done;
  });

  it("20 viewers of one source cost the same AWS calls as 1", async () => {
    const filterCalls = () => r.client.totalAwsCalls((op) => op === "CloudWatchLogs.FilterLogEvents");
    const noReaders = () => until("no reader running", () => r.registry.logRegistry().stats().length === 0, 15_000);
    const measure = async (viewers: number, ms: number) => {
      await noReaders(); // nothing else (e.g. a lingering reader of an earlier test) may call while we count
      const clients = await Promise.all(
        Array.from({ length: viewers }, () => r.stream.GET(new Request(base("stream?source=worker&filter=INFO")), ctx()).then(readSse)),
      );
      // Let the shared reader start (first stream listing, Live Tail attempt) before counting steady-state calls.
      await until(
        "reader running",
        () => clients.every((c) => c.events.some((e) => e.event === "status" && (e.data as { mode: string }).mode === "polling")),
        20_000,
      );
      await new Promise((res) => setTimeout(res, 1_500));
      const before = filterCalls();
      const tag = line(`INFO fan-out ${viewers}`);
      await put(workerStream, [tag]);
      await new Promise((res) => setTimeout(res, ms));
      const calls = filterCalls() - before;
      await until("every viewer got the line", () => clients.every((c) => c.lines.some((l) => l.message === tag)));
      const stats = r.registry
        .logRegistry()
        .stats()
        .filter((s) => s.key.includes("prefix:worker/"));
      clients.forEach((c) => c.close());
      await Promise.all(clients.map((c) => c.done));
      return { calls, readers: stats.length, viewers: stats[0]?.viewers ?? 0 };
    };
    const one = await measure(1, 6_000);
    const twenty = await measure(20, 6_000);
    console.info(`FilterLogEvents calls in 6 s: 1 viewer → ${one.calls}, 20 viewers → ${twenty.calls}`);
    expect(one.readers).toBe(1);
    expect(twenty.readers).toBe(1);
    expect(twenty.viewers).toBe(20);
    // ~1 call/s for the reader whatever the audience; per-viewer polling would be ~20× as many.
    expect(one.calls).toBeGreaterThan(0);
    expect(Math.abs(twenty.calls - one.calls)).toBeLessThanOrEqual(1);
  });

  it("reconnecting with Last-Event-ID resumes without a gap or a duplicate", async () => {
    const sent: string[] = [];
    const send = async (n: number) => {
      const batch = Array.from({ length: n }, () => line("resume"));
      sent.push(...batch);
      await put(serverStream, batch);
    };
    const first = readSse(await r.stream.GET(new Request(base("stream?source=server")), ctx()));
    await until("status", () => first.events.some((e) => e.event === "status"));
    await send(3);
    await until("first three", () => first.lines.filter((l) => l.message.includes("resume")).length >= 3);
    first.close();
    await first.done;
    // While disconnected: more lines. Then reconnect the way a browser does (Last-Event-ID header).
    await send(4);
    await new Promise((res) => setTimeout(res, 1_500));
    const headers = new Headers({ "Last-Event-ID": first.lastId! });
    const second = readSse(await r.stream.GET(new Request(base("stream?source=server"), { headers }), ctx()));
    await send(2);
    await until(
      "all nine",
      () =>
        second.lines.filter((l) => l.message.includes("resume")).length + first.lines.filter((l) => l.message.includes("resume")).length >=
        9,
    );
    await new Promise((res) => setTimeout(res, 1_500)); // time for a duplicate to show up, if there were one
    const got = [...first.lines, ...second.lines].map((l) => l.message).filter((m) => m.includes("resume"));
    expect(got).toEqual(sent);

    // Again after the shared reader has stopped (nobody watching for longer than it lingers): the gap is back-filled.
    second.close();
    await second.done;
    await until(
      "reader stopped",
      () =>
        !r.registry
          .logRegistry()
          .stats()
          .some((s) => s.key.includes("prefix:server/")),
      10_000,
    );
    await send(3);
    const third = readSse(
      await r.stream.GET(new Request(base(`stream?source=server&lastEventId=${encodeURIComponent(second.lastId!)}`)), ctx()),
    );
    await send(1);
    await until(
      "all thirteen",
      () => [...first.lines, ...second.lines, ...third.lines].filter((l) => l.message.includes("resume")).length >= 13,
    );
    await new Promise((res) => setTimeout(res, 1_500));
    const all = [...first.lines, ...second.lines, ...third.lines].map((l) => l.message).filter((m) => m.includes("resume"));
    expect(all).toEqual(sent);
    third.close();
    await third.done;
  });
});

describe("log routes refuse bad input before calling AWS", () => {
  it("a malformed filter pattern comes back as a message for the filter box, with no AWS call", async () => {
    const before = r.client.totalAwsCalls();
    for (const filter of ["{ $.level = ", '"unclosed', "[a, b"]) {
      const res = await r.history.GET(
        new Request(base(`history?filter=${encodeURIComponent(filter)}&start=${Date.now() - 60_000}&end=${Date.now()}`)),
        ctx(),
      );
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; field: string };
      expect(body.field).toBe("filter");
      expect(body.error).toMatch(/Invalid filter pattern/);
      const sse = await r.stream.GET(new Request(base(`stream?filter=${encodeURIComponent(filter)}`)), ctx());
      expect(sse.status).toBe(400);
    }
    expect(r.client.totalAwsCalls()).toBe(before);
  });

  it("reversed and future ranges get a message", async () => {
    const now = Date.now();
    const reversed = await r.history.GET(new Request(base(`history?start=${now}&end=${now - 60_000}`)), ctx());
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { error: string }).error).toMatch(/ends before it starts/);
    const future = await r.history.GET(new Request(base(`history?start=${now + 3_600_000}&end=${now + 7_200_000}`)), ctx());
    expect(future.status).toBe(400);
    expect(((await future.json()) as { error: string }).error).toMatch(/future/);
  });

  it("an unknown stack or task is a 404", async () => {
    const res = await r.stream.GET(new Request(base("stream", "no-such-stack")), ctx("no-such-stack"));
    expect(res.status).toBe(404);
    const bad = await r.history.GET(new Request(base("history?start=1&end=2", "../etc")), ctx("../etc"));
    expect(bad.status).toBe(404);
    const task = await r.history.GET(
      new Request(base(`history?source=task&task=${"f".repeat(32)}&start=${Date.now() - 60_000}&end=${Date.now()}`)),
      ctx(),
    );
    expect(task.status).toBe(404);
  });

  it("history pages the newest lines first and loads older ones", async () => {
    const res = await r.history.GET(
      new Request(base(`history?source=server&start=${Date.now() - 600_000}&end=${Date.now() + 1_000}&limit=3`)),
      ctx(),
    );
    expect(res.status).toBe(200);
    const page = (await res.json()) as { lines: LogLine[]; older: string | null };
    expect(page.lines).toHaveLength(3);
    expect(page.older).toBeTruthy();
    const older = await r.history.GET(
      new Request(base(`history?source=server&start=${Date.now() - 600_000}&end=${Date.now() + 1_000}&limit=3&cursor=${page.older}`)),
      ctx(),
    );
    const olderPage = (await older.json()) as { lines: LogLine[] };
    expect(olderPage.lines.length).toBeGreaterThan(0);
    expect(olderPage.lines[olderPage.lines.length - 1]!.ts).toBeLessThanOrEqual(page.lines[0]!.ts);
    expect(new Set([...olderPage.lines, ...page.lines].map((l) => l.id)).size).toBe(olderPage.lines.length + page.lines.length);
  });

  it("downloads a range as a text file, oldest first, only the source's streams", async () => {
    const tags = [line("download A"), line("download B")];
    await put(serverStream, tags);
    await put(workerStream, [line("download worker")]);
    const res = await r.download.GET(
      new Request(base(`download?source=server&start=${Date.now() - 600_000}&end=${Date.now() + 1_000}`)),
      ctx(),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="${env}-prefix-server-.*\\.log"$`));
    const text = await res.text();
    const rows = text.trim().split("\n");
    expect(rows.every((row) => row.split(" ")[1] === serverStream)).toBe(true);
    expect(rows.findIndex((row) => row.endsWith(tags[0]!))).toBeLessThan(rows.findIndex((row) => row.endsWith(tags[1]!)));
    expect(text).not.toContain("download worker");
  });
});
