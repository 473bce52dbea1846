// A console + sandbox for the log viewer's benchmark (and for looking at the page by hand): starts the sandbox,
// the built console (the standalone server, NEXT_DIST_DIR from the environment) on a fresh data directory, a stack shaped
// like the product's (cluster, log group, server + worker services whose simulated tasks write log lines), and
// registers it in the console's state store. Not a test.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { startSandbox, type SandboxHandle } from "../sandbox/index";
import { minimalStack, type MinimalStack } from "../test/fixtures/stack";
import { sandboxClients } from "../test/fixtures/sandbox";
import { spawnConsole } from "../scripts/launch";
import { sandboxTestEnv } from "../test/global-sandbox";
import { recordSpec } from "../test/fixtures/stack-spec";

export interface LogsHarness {
  baseUrl: string;
  sandbox: SandboxHandle;
  stack: MinimalStack;
  admin: { email: string; password: string };
  /** The console's standalone server process. */
  consolePid: number;
  stop(): Promise<void>;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url, { redirect: "manual" });
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function startLogsHarness(o: {
  port: number;
  dataDir: string;
  linesPerTaskPerSec?: number;
  services?: boolean;
  quiet?: boolean;
}): Promise<LogsHarness> {
  const timing = { timeScale: 50, tickMs: 250 };
  const sandbox = await startSandbox({ ...timing, quiet: true, logLinesPerTaskPerSec: o.linesPerTaskPerSec ?? 2 });
  const admin = { email: "bench@example.com", password: "bench-password-123" };
  let next: ChildProcess | undefined;
  const stop = async () => {
    if (next && next.exitCode === null) {
      next.kill("SIGTERM");
      await new Promise((r) => next!.once("exit", r));
    }
    await sandbox.stop();
  };
  try {
    fs.rmSync(o.dataDir, { recursive: true, force: true });
    fs.mkdirSync(o.dataDir, { recursive: true });
    // The fixtures that build the stack (test/fixtures/stack.ts) read what the integration tests' setup provides.
    Object.assign(process.env, sandboxTestEnv(sandbox, timing));
    next = spawnConsole({
      port: o.port,
      host: "127.0.0.1",
      stdio: ["ignore", o.quiet === false ? "inherit" : "ignore", "inherit"],
      env: {
        CONSOLE_DATA_DIR: o.dataDir,
        CONSOLE_ADMIN_EMAIL: admin.email,
        CONSOLE_ADMIN_PASSWORD: admin.password,
        CONSOLE_LOG_LEVEL: "warn",
      },
    });
    const baseUrl = `http://127.0.0.1:${o.port}`;
    await waitFor(`${baseUrl}/login`, 60_000);
    const stack = await minimalStack(sandboxClients());
    if (o.services !== false) {
      await stack.createService("prefect-server", stack.serverTaskDef, 1, { lb: true });
      await stack.createService("prefect-worker", stack.workerTaskDef, 2);
    }
    // The console migrated its store when it answered /login; register the stack the way provisioning would.
    const db = new Database(path.join(o.dataDir, "console.sqlite"));
    const now = Date.now();
    db.prepare(
      "INSERT INTO stacks (env, region, spec, status, adopted, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(stack.env, sandbox.region, JSON.stringify(recordSpec(stack.env, sandbox.region)), "ready", 1, "bench", now, now);
    db.close();
    return { baseUrl, sandbox, stack, admin, consolePid: next.pid ?? 0, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Signs the harness's admin in through the login form (Chromium, as a person would). */
export async function signIn(page: Page, base: string, admin: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/stacks/);
}

// `npx tsx bench/logs-harness.ts` keeps a console with a log-writing stack running until Ctrl-C.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const port = Number(process.env.PORT ?? 3203);
  startLogsHarness({ port, dataDir: path.resolve(process.env.CONSOLE_DATA_DIR ?? ".data-logs"), quiet: false })
    .then((h) => {
      console.log(
        JSON.stringify({ baseUrl: h.baseUrl, env: h.stack.env, admin: h.admin, aws: h.sandbox.awsEndpoint, admin_url: h.sandbox.adminUrl }),
      );
      const bye = () => void h.stop().then(() => process.exit(0));
      process.on("SIGINT", bye);
      process.on("SIGTERM", bye);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
