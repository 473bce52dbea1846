// Log tail benchmark (not a test): prints and records
//  - tail latency: PutLogEvents → the line rendered in the browser (Chromium), p50 / p95 over N lines, for both
//    upstreams: CloudWatch Live Tail (the default) and FilterLogEvents polling (forced the way it happens on AWS: the
//    account's 15 Live Tail sessions are held by someone else, so a new reader falls back);
//  - sustained rate: the viewer fed ~2,000 lines/s for D seconds: lines/s that reached the page, main-thread long
//    tasks (> 100 ms), the page's JS heap and the console server's RSS (both must stay bounded: ring buffers);
//  - upstream FilterLogEvents calls with 1 vs 20 viewers of one source (counted by the sandbox's AWS proxy).
// Run: NEXT_DIST_DIR=.next-logs npm run build && NEXT_DIST_DIR=.next-logs npx tsx bench/logs-tail.ts
// Knobs: BENCH_PORT (3203), BENCH_LATENCY_LINES (40), BENCH_RATE (2000), BENCH_SECONDS (60). Results: bench/results/logs.json.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { chromium, type Page } from "@playwright/test";
import { adminConfig } from "../test/fixtures/sandbox";
import { signIn, startLogsHarness } from "./logs-harness";

const PORT = Number(process.env.BENCH_PORT ?? 3203);
const LATENCY_LINES = Number(process.env.BENCH_LATENCY_LINES ?? 40);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  // The console is `next start` (a node child of the harness); sum the RSS of that process tree.
  const out = execFileSync("ps", ["-o", "pid=,ppid=,rss=", "-A"], { encoding: "utf8" });
  const rows = out
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
  const tree = new Set([pid]);
  for (let changed = true; changed;) {
    changed = false;
    for (const [p, pp] of rows)
      if (tree.has(pp) && !tree.has(p)) {
        tree.add(p);
        changed = true;
      }
  }
  return Math.round(rows.filter(([p]) => tree.has(p)).reduce((a, [, , rss]) => a + rss, 0) / 1024);
}

/** Records when each tagged line first appears in the page's DOM, and every main-thread long task. */
async function instrument(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __seen: Record<string, number>; __long: number[] };
    w.__seen = {};
    w.__long = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({
      type: "longtask",
      buffered: true,
    });
    new MutationObserver((muts) => {
      const now = performance.timeOrigin + performance.now();
      for (const m of muts)
        m.addedNodes.forEach((n) => {
          const t = (n as HTMLElement).textContent ?? "";
          const match = /BENCH-([0-9a-z]+)/.exec(t);
          if (match && w.__seen[match[1]!] === undefined) w.__seen[match[1]!] = now;
        });
    }).observe(document, { childList: true, subtree: true });
  });
}

/** PutLogEvents → visible in the page, one line at a time, spaced so that each is its own update or poll. */
async function latency(page: Page, put: (messages: string[], ts?: number) => Promise<unknown>, label: string) {
  const lat: number[] = [];
  for (let i = 0; i < LATENCY_LINES; i++) {
    const tag = `l${i}x${Date.now().toString(36)}`;
    const t0 = Date.now();
    await put([`INFO: BENCH-${tag} latency probe`], t0);
    const deadline = Date.now() + 15_000;
    let seen: number | undefined;
    while (Date.now() < deadline && seen === undefined) {
      await sleep(20);
      seen = await page.evaluate((t) => (window as unknown as { __seen: Record<string, number> }).__seen[t], tag);
    }
    if (seen !== undefined) lat.push(seen - t0);
    await sleep(300 + Math.random() * 900); // de-synchronise from the 1 s update / poll
  }
  console.log(
    `tail latency via ${label} (put → visible): p50 ${pct(lat, 50).toFixed(0)} ms, p95 ${pct(lat, 95).toFixed(0)} ms over ${lat.length}/${LATENCY_LINES} lines`,
  );
  return {
    upstream: label,
    lines: LATENCY_LINES,
    seen: lat.length,
    p50Ms: Math.round(pct(lat, 50)),
    p95Ms: Math.round(pct(lat, 95)),
    maxMs: Math.round(Math.max(...lat)),
  };
}

async function main() {
  const h = await startLogsHarness({ port: PORT, dataDir: path.resolve(".data-logs-bench"), services: false });
  const nextPid = h.consolePid;
  const group = h.stack.logGroup;
  const stream = "server/prefect-server/bench0000000000000000000000000000";
  // The tasks' log lines are written by the account's administrator (the console's IAM user may only read logs).
  const logs = new CloudWatchLogsClient(adminConfig());
  const put = (messages: string[], ts = Date.now()) =>
    logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: messages.map((message, i) => ({ timestamp: ts + Math.floor(i / 10), message })),
      }),
    );
  const results: Record<string, unknown> = { when: new Date().toISOString(), machine: "2 cores, sandbox (moto) behind the AWS proxy" };
  const browser = await chromium
    .launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-precise-memory-info"],
    })
    .catch(async (e: unknown) => {
      await h.stop();
      throw e;
    });
  try {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await put(["INFO: bench warm-up"]);
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, h.baseUrl, h.admin);
    await instrument(page);
    await page.goto(`${h.baseUrl}/stacks/${h.stack.env}/logs?source=server`);
    await page.getByText("Live", { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByTestId("upstream-mode").getByText("Live Tail").waitFor({ timeout: 30_000 });
    await sleep(2_000);

    // 1) Latency through Live Tail (the default upstream).
    results.latency = await latency(page, put, "Live Tail");

    // 2) Sustained rate: RATE lines/s in 4 batches a second for SECONDS, following at the bottom.
    await page.evaluate(() => ((window as unknown as { __long: number[] }).__long = []));
    const countLines = async () => Number(((await page.getByTestId("line-count").textContent()) ?? "0").split(" ")[0]!.replace(/,/g, ""));
    const droppedLines = async () =>
      Number(/([\d,]+) oldest dropped/.exec((await page.getByTestId("line-count").textContent()) ?? "")?.[1]?.replace(/,/g, "") ?? 0);
    const startShown = (await countLines()) + (await droppedLines());
    const heap: number[] = [];
    const rss: number[] = [];
    // BENCH_PROFILE=<file.cpuprofile>: record the page's main thread during the sustained run (open in DevTools).
    const cdp = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.start");
    }
    let sent = 0;
    const t0 = Date.now();
    for (let s = 0; s < SECONDS * 4; s++) {
      const batch = Array.from(
        { length: RATE / 4 },
        (_, i) =>
          `16:00:00.000 | ${i % 50 === 0 ? "ERROR  " : "INFO   "} | prefect.bench - line ${sent + i} of the sustained run with some typical payload text`,
      );
      await put(batch);
      sent += batch.length;
      if (s % 8 === 0) {
        heap.push(
          await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0),
        );
        rss.push(rssMb(nextPid));
      }
      const wait = t0 + ((s + 1) * 1000) / 4 - Date.now();
      if (wait > 0) await sleep(wait);
    }
    const writeSeconds = (Date.now() - t0) / 1000;
    if (cdp) {
      const { profile } = await cdp.send("Profiler.stop");
      fs.writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
    }
    // Let the tail catch up (bounded wait).
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await countLines()) + (await droppedLines()) - startShown < sent) await sleep(500);
    const received = (await countLines()) + (await droppedLines()) - startShown;
    const catchUp = (Date.now() - t0) / 1000;
    const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    results.sustained = {
      targetLinesPerSec: RATE,
      seconds: SECONDS,
      sent,
      received,
      writeLinesPerSec: Math.round(sent / writeSeconds),
      deliveredLinesPerSec: Math.round(received / catchUp),
      longTasksOver100Ms: long.filter((d) => d > 100).length,
      longestTaskMs: Math.round(Math.max(0, ...long)),
      linesHeldInViewer: await countLines(),
      pageHeapMb: {
        first: Math.round((heap[0] ?? 0) / 2 ** 20),
        max: Math.round(Math.max(...heap) / 2 ** 20),
        last: Math.round((heap[heap.length - 1] ?? 0) / 2 ** 20),
      },
      consoleRssMb: { first: rss[0], max: Math.max(...rss), last: rss[rss.length - 1] },
    };
    console.log(
      `sustained: sent ${sent} lines in ${writeSeconds.toFixed(0)} s (${(sent / writeSeconds).toFixed(0)}/s), ${received} reached the page; long tasks > 100 ms: ${long.filter((d) => d > 100).length} (longest ${Math.max(0, ...long).toFixed(0)} ms); page heap max ${Math.round(Math.max(...heap) / 2 ** 20)} MB; console RSS max ${Math.max(...rss)} MB`,
    );
    await page.close();
    await sleep(7_000); // the page's reader lingers 5 s after its last viewer: let it stop before counting calls

    // 3) Upstream calls: 1 vs 20 viewers of one source, counted by the sandbox's AWS proxy from the first viewer's
    //    arrival to 13 s later (reader start included: ARN lookup, StartLiveTail, the first session's back-fill).
    const cookie = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const rssWithViewers: Record<number, number> = {};
    const calls = async (viewers: number) => {
      const ctl = new AbortController();
      await fetch(`${h.sandbox.adminUrl}/calls`, { method: "DELETE" });
      await Promise.all(
        Array.from({ length: viewers }, () =>
          fetch(`${h.baseUrl}/api/stacks/${h.stack.env}/logs/stream?source=server&filter=ERROR`, {
            headers: { cookie },
            signal: ctl.signal,
          }).then((r) => {
            void r.body?.pipeTo(new WritableStream()).catch(() => undefined);
          }),
        ),
      );
      await sleep(13_000);
      const c = (await (await fetch(`${h.sandbox.adminUrl}/calls`)).json()) as { calls: Record<string, number> };
      rssWithViewers[viewers] = rssMb(nextPid);
      ctl.abort();
      await sleep(7_000); // the reader lingers 5 s after the last viewer
      return Object.fromEntries(Object.entries(c.calls).filter(([k]) => k.startsWith("logs:")));
    };
    const one = await calls(1);
    const twenty = await calls(20);
    results.upstreamCalls = { windowSeconds: 13, oneViewer: one, twentyViewers: twenty };
    results.consoleRssMbWithLiveTails = { one: rssWithViewers[1], twenty: rssWithViewers[20] };
    console.log(`CloudWatch Logs calls in 13 s: 1 viewer ${JSON.stringify(one)}, 20 viewers ${JSON.stringify(twenty)}`);
    results.idleConsoleRssMb = rssMb(nextPid);

    // 4) Latency through FilterLogEvents polling: another client holds the account's 15 Live Tail sessions, so the
    //    reader of a new source falls back to polling (and the viewer says why). Last: the console remembers a full
    //    quota for a minute.
    const held = new AbortController();
    const other = new CloudWatchLogsClient({
      ...adminConfig(),
      disableHostPrefix: true,
      maxAttempts: 1,
    });
    const arn = (await other.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups?.[0]?.logGroupArn ?? "";
    const sessions = [];
    // Fill the quota (the console may still hold a session of its own): until CloudWatch says LimitExceeded.
    for (let i = 0; i < 15; i++) {
      const out = await other
        .send(new StartLiveTailCommand({ logGroupIdentifiers: [arn] }), { abortSignal: held.signal })
        .catch((e: Error) => {
          if (e.name === "LimitExceededException") return undefined;
          throw e;
        });
      if (!out) break;
      sessions.push(
        (async () => {
          try {
            for await (const m of out.responseStream ?? []) void m;
          } catch {
            // released
          }
        })(),
      );
    }
    const pollPage = await ctx.newPage();
    await instrument(pollPage);
    await pollPage.goto(`${h.baseUrl}/stacks/${h.stack.env}/logs?source=all`);
    await pollPage.getByTestId("upstream-mode").getByText("FilterLogEvents").waitFor({ timeout: 30_000 });
    await sleep(2_000);
    results.latencyPolling = await latency(pollPage, put, "FilterLogEvents polling");
    held.abort();
    await Promise.all(sessions);
    other.destroy();
  } finally {
    await browser.close();
    logs.destroy();
    await h.stop();
    fs.rmSync(path.resolve(".data-logs-bench"), { recursive: true, force: true });
  }
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync("bench/results/logs.json", JSON.stringify(results, null, 2) + "\n");
  console.log("wrote bench/results/logs.json");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
