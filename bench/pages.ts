// What a person waits for on the stack pages, in Chromium against `next start` on the sandbox: time to first byte
// and time until the page's main panel is visible, for every stack page; the same right after a burst of AWS
// throttling (30 % of calls for 20 s) and with the Prefect API unreachable (a proxy that accepts and never answers);
// and the stacks list with 1, 10 and 30 stacks (AWS calls per view and time). Medians of BENCH_REPEAT loads.
// Not a test. Run: `npm run build && npx tsx --conditions react-server bench/pages.ts` → bench/results/pages.json.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { chromium, type Page } from "@playwright/test";
import { spawnConsole } from "../scripts/launch";
import { recordSpec } from "../test/fixtures/stack-spec";
import { signIn, startLogsHarness } from "./logs-harness";

const PORT = Number(process.env.BENCH_PORT ?? 3214);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 7);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.floor((s.length - 1) / 2)]!) : NaN;
};

// The main panel of each page, once it holds data (a streamed panel's placeholder is a section with aria-busy).
const pages = (env: string) => ({
  overview: { path: `/stacks/${env}`, main: '[data-testid="services-panel"], [data-testid="service-server"]' },
  alarms: {
    path: `/stacks/${env}/alarms`,
    main: 'table[aria-label="Alarms"], table[aria-label="Alarm history"], main section:not([aria-busy]) h2',
  },
  timeline: { path: `/stacks/${env}/timeline`, main: "main section:not([aria-busy]) h2" },
  metrics: { path: `/stacks/${env}/metrics`, main: '[data-testid="metric-chart"]' },
  logs: { path: `/stacks/${env}/logs`, main: '[role="log"], [data-testid="log-list"], main section:not([aria-busy])' },
  // A stack the console did not provision has no runs: the empty state (its heading) is the page's main content.
  runs: { path: `/stacks/${env}/runs`, main: "main table, main section:not([aria-busy]), main h2:not(section[aria-busy] h2)" },
});

/** Time to first byte, time until the page's main panel `p.main` is there, and time until no panel is still pending. */
async function timeLoad(page: Page, base: string, p: { path: string; main: string }) {
  await page.goto(`${base}${p.path}`, { waitUntil: "commit" });
  const poll = { timeout: 60_000, polling: 10 };
  await page.waitForFunction((sel) => document.querySelector(sel) !== null, p.main, poll);
  const visible = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => document.querySelector('[data-testid="panel-pending"]') === null, undefined, poll);
  const settled = await page.evaluate(() => performance.now());
  const ttfb = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return n.responseStart - n.startTime;
  });
  return { ttfb, visible, settled };
}

async function measureAll(page: Page, base: string, env: string) {
  const out: Record<string, { ttfbP50: number; visibleP50: number; settledP50: number }> = {};
  for (const [name, p] of Object.entries(pages(env))) {
    const ttfb: number[] = [];
    const visible: number[] = [];
    const settled: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const r = await timeLoad(page, base, p);
      ttfb.push(r.ttfb);
      visible.push(r.visible);
      settled.push(r.settled);
    }
    const row = { ttfbP50: median(ttfb), visibleP50: median(visible), settledP50: median(settled) };
    out[name] = row;
    console.log(
      `  ${name.padEnd(9)} TTFB p50 ${row.ttfbP50} ms · main panel visible p50 ${row.visibleP50} ms · every panel settled p50 ${row.settledP50} ms`,
    );
  }
  return out;
}

async function main() {
  const dataDir = path.resolve(".data-pages-bench");
  const h = await startLogsHarness({ port: PORT, dataDir, linesPerTaskPerSec: 1 });
  const admin = h.sandbox.adminUrl;
  const callTotal = async () => ((await (await fetch(`${admin}/calls`)).json()) as { total: number }).total;
  const results: Record<string, unknown> = {
    when: new Date().toISOString(),
    machine: "2 cores shared with other engineers' builds and tests; sandbox (moto) behind the AWS proxy",
    repeat: REPEAT,
  };
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  let blackhole: net.Server | undefined;
  let second: ChildProcess | undefined;
  try {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, h.baseUrl, h.admin);
    const env = h.stack.env;
    // Let the simulator start the services' tasks.
    await new Promise((r) => setTimeout(r, 8_000));

    console.log("stack pages, quiet:");
    results.quiet = await measureAll(page, h.baseUrl, env);

    // A bad minute: 30 % of the console's AWS calls throttled for 20 s while someone keeps the overview open.
    await fetch(`${admin}/faults`, { method: "POST", body: JSON.stringify({ throttle: 0.3 }) });
    const until = Date.now() + 20_000;
    while (Date.now() < until) await timeLoad(page, h.baseUrl, pages(env).overview).catch(() => undefined);
    await fetch(`${admin}/faults`, { method: "DELETE" });
    console.log("stack pages, right after a 30 %/20 s throttling burst:");
    results.afterThrottling = await measureAll(page, h.baseUrl, env);

    // The stacks list with 1, 10 and 30 stacks (the extra rows name stacks with no AWS resources: same calls).
    const list: Record<string, { p50: number; awsCallsPerView: number }> = {};
    const dbFile = path.join(dataDir, "console.sqlite");
    for (const n of [1, 10, 30]) {
      const db = new Database(dbFile);
      const have = (db.prepare("SELECT COUNT(*) AS c FROM stacks").get() as { c: number }).c;
      const now = Date.now();
      for (let i = have; i < n; i++)
        db.prepare(
          "INSERT INTO stacks (env, region, spec, status, adopted, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ).run(
          `bench${String(i).padStart(2, "0")}`,
          h.sandbox.region,
          JSON.stringify(recordSpec(`bench${String(i).padStart(2, "0")}`, h.sandbox.region)),
          "ready",
          1,
          "bench",
          now,
          now,
        );
      db.close();
      const times: number[] = [];
      const perView: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        await fetch(`${admin}/calls`, { method: "DELETE" });
        const t0 = Date.now();
        await page.goto(`${h.baseUrl}/stacks`);
        await page.getByRole("row").nth(n).waitFor();
        times.push(Date.now() - t0);
        perView.push(await callTotal());
      }
      const row = { p50: median(times), awsCallsPerView: median(perView) };
      list[String(n)] = row;
      console.log(`  stacks list, ${n} stacks: p50 ${row.p50} ms, ${row.awsCallsPerView} AWS calls per view`);
    }
    results.stacksList = list;

    // Prefect unreachable: a second console on the same store whose HTTP proxy accepts connections and never answers.
    blackhole = net.createServer(() => undefined).listen(0, "127.0.0.1");
    await new Promise((r) => blackhole!.once("listening", r));
    const hole = `http://127.0.0.1:${(blackhole.address() as net.AddressInfo).port}`;
    const port2 = PORT + 1;
    second = spawnConsole({
      port: port2,
      host: "127.0.0.1",
      stdio: "ignore",
      env: { CONSOLE_DATA_DIR: dataDir, HTTP_PROXY: hole, HTTPS_PROXY: hole, CONSOLE_LOG_LEVEL: "warn" },
    });
    const base2 = `http://127.0.0.1:${port2}`;
    for (let i = 0; i < 240; i++) {
      if (
        await fetch(`${base2}/login`)
          .then((r) => r.status < 500)
          .catch(() => false)
      )
        break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page2 = await ctx2.newPage();
    await signIn(page2, base2, h.admin);
    console.log("overview with the Prefect API unreachable:");
    const ttfb: number[] = [];
    const visible: number[] = [];
    const settled: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      // The services panel alone: the Prefect panel is the one that waits for the unreachable API.
      const r = await timeLoad(page2, base2, { path: `/stacks/${env}`, main: '[data-testid="services-panel"]' });
      ttfb.push(r.ttfb);
      visible.push(r.visible);
      settled.push(r.settled);
      await new Promise((r) => setTimeout(r, 2_100)); // past the shared snapshot's reuse window
    }
    results.prefectUnreachable = {
      overview: { ttfbP50: median(ttfb), servicesVisibleP50: median(visible), prefectPanelSettledP50: median(settled) },
    };
    console.log(
      `  overview TTFB p50 ${median(ttfb)} ms · services panel visible p50 ${median(visible)} ms · Prefect panel settled p50 ${median(settled)} ms`,
    );
  } finally {
    await browser.close();
    if (second && second.exitCode === null) {
      second.kill("SIGTERM");
      await new Promise((r) => second!.once("exit", r));
    }
    blackhole?.close();
    await h.stop();
  }
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync("bench/results/pages.json", JSON.stringify(results, null, 2) + "\n");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
