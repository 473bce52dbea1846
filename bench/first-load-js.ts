// First-load JavaScript per route (gzip, as the browser receives it from the standalone server), measured in Chromium with a
// cold cache for each route. "first load" = the scripts the server-rendered HTML references (what must arrive before
// the page is interactive); "after idle" adds what the page loads lazily afterwards (charts, dialogs).
// Bar (QUALITY.md): ≤ 200 KB first load per route, charts lazy-loaded.
// Run: npm run build && npx tsx --conditions react-server bench/first-load-js.ts   Results: bench/results/first-load-js.json.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startLogsHarness } from "./logs-harness";

const PORT = Number(process.env.BENCH_PORT ?? 3204);

async function main() {
  const h = await startLogsHarness({ port: PORT, dataDir: path.resolve(".data-bench-js"), linesPerTaskPerSec: 1 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const rows: { route: string; firstLoadKB: number; afterIdleKB: number; scripts: number }[] = [];
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
  try {
    const login = await browser.newContext();
    const p = await login.newPage();
    await p.goto(`${h.baseUrl}/login`);
    await p.getByLabel("Email").fill(h.admin.email);
    await p.getByLabel("Password").fill(h.admin.password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.waitForURL(/\/stacks$/);
    const state = await login.storageState();
    await login.close();

    const env = h.stack.env;
    const routes = [
      "/login",
      "/stacks",
      "/stacks/new",
      `/stacks/${env}`,
      `/stacks/${env}/metrics`,
      `/stacks/${env}/alarms`,
      `/stacks/${env}/timeline`,
      `/stacks/${env}/logs`,
      `/stacks/${env}/runs`,
      "/audit",
      "/users",
      "/settings",
    ];
    for (const route of routes) {
      // A new context per route: nothing cached, as on a first visit.
      const ctx = await browser.newContext(route === "/login" ? {} : { storageState: state });
      const page = await ctx.newPage();
      const sizes: Promise<{ path: string; bytes: number }>[] = [];
      page.on("requestfinished", (req) => {
        if (req.resourceType() === "script")
          sizes.push(req.sizes().then((s) => ({ path: new URL(req.url()).pathname, bytes: s.responseBodySize })));
      });
      const res = await page.goto(h.baseUrl + route, { waitUntil: "networkidle" });
      const html = (await res?.text()) ?? "";
      const scripts = await Promise.all(sizes);
      const total = scripts.reduce((a, s) => a + s.bytes, 0);
      const first = scripts.filter((s) => html.includes(s.path)).reduce((a, s) => a + s.bytes, 0);
      rows.push({ route: route.replace(env, "<env>"), firstLoadKB: kb(first), afterIdleKB: kb(total), scripts: scripts.length });
      await ctx.close();
    }
  } finally {
    await browser.close();
    await h.stop();
    fs.rmSync(path.resolve(".data-bench-js"), { recursive: true, force: true });
  }
  console.table(rows);
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync(
    "bench/results/first-load-js.json",
    JSON.stringify({ measuredAt: new Date().toISOString(), barKB: 200, routes: rows }, null, 2) + "\n",
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
