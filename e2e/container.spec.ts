import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { execForm, instructions, parseDockerfile, stageEnv } from "../test/dockerfile";
import { E2E_PORT, users } from "./constants";
import { LoginPage } from "./pages/login-page";

// The container image's runtime stage, run without a Docker engine: /app laid out as its COPY does (the standalone
// build), its ENV (with this machine's free port, loopback and a temp data directory instead of 0.0.0.0 and /data),
// its CMD from its WORKDIR on the project's Node 24, its HEALTHCHECK command, and its STOPSIGNAL.
const port = E2E_PORT + 1;
const base = `http://127.0.0.1:${port}`;
const distDir = process.env.NEXT_DIST_DIR ?? ".next";
const runtime = parseDockerfile().stages.at(-1)!;
const node = (argv: string[]) => argv.map((a) => (a === "node" ? process.execPath : a));
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { devDependencies: Record<string, string> };

test.describe.configure({ mode: "serial" });
test.use({ baseURL: base });

let root: string;
let app: string;
let server: ChildProcess;
let output = "";
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

/** The image's HEALTHCHECK command, as Docker runs it inside the container: its exit status. */
function healthcheck(): number | null {
  const [cmd, ...args] = node(execForm(instructions(runtime, "HEALTHCHECK")[0]!.args));
  return spawnSync(cmd!, args, { env: { NODE_ENV: "production", PATH: process.env.PATH, PORT: String(port) }, timeout: 5_000 }).status;
}

test.beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pec-image-"));
  app = path.join(root, "app");
  for (const c of instructions(runtime, "COPY")) {
    const [, src, dest] = /^--from=build (\S+) (\S+)$/.exec(c.args) ?? [];
    expect(src, `COPY ${c.args}`).toMatch(/^\/app\/\.next\//);
    fs.cpSync(path.resolve(src!.replace(/^\/app\/\.next\//, `${distDir}/`)), path.resolve(app, dest!), { recursive: true });
  }
  expect(instructions(runtime, "WORKDIR").map((w) => w.args)).toEqual(["/app"]);
  const data = path.join(root, "data");
  fs.mkdirSync(data);
  const [cmd, ...args] = node(execForm(instructions(runtime, "CMD")[0]!.args));
  server = spawn(cmd!, args, {
    cwd: app,
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      ...stageEnv(runtime),
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      CONSOLE_DATA_DIR: data,
      CONSOLE_ADMIN_EMAIL: users.admin.email,
      CONSOLE_ADMIN_PASSWORD: users.admin.password,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  exited = new Promise((r) => server.once("exit", (code, signal) => r({ code, signal })));
  await expect.poll(healthcheck, { timeout: 60_000, message: "the HEALTHCHECK command passes" }).toBe(0);
});

test.afterAll(() => {
  if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  fs.rmSync(root, { recursive: true, force: true });
});

test("the image holds no dev dependencies and no source maps", () => {
  const modules = path.join(app, "node_modules");
  for (const dev of Object.keys(pkg.devDependencies)) expect(fs.existsSync(path.join(modules, dev)), dev).toBe(false);
  const maps = (fs.readdirSync(app, { recursive: true }) as string[]).filter((f) => f.endsWith(".map"));
  expect(maps).toEqual([]);
});

test("it is live and ready, and serves a signed-in page with its static assets", async ({ page, request }) => {
  expect((await request.get("/api/readyz")).status()).toBe(200);
  const assets: number[] = [];
  page.on("response", (r) => {
    if (r.url().includes("/_next/static/")) assets.push(r.status());
  });
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(users.admin.email, users.admin.password);
  await expect(page).toHaveURL(/\/stacks$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  expect(assets.length).toBeGreaterThan(0);
  expect(assets.every((s) => s === 200)).toBe(true);
});

test("STOPSIGNAL drains and exits within the shutdown grace", async () => {
  const signal = (instructions(runtime, "STOPSIGNAL")[0]?.args ?? "SIGTERM") as NodeJS.Signals;
  server.kill(signal);
  const end = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 30_000))]);
  expect(end, output).not.toBe("hung");
  expect(output).toContain('"msg":"shutting down"');
  expect(output).toContain('"msg":"shutdown drained"');
});
