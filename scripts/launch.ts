// Starts the sandbox (moto + simulator) and the built console (`next start`) wired to it. Used by `npm run demo`
// and by the e2e web server. Stops both on SIGINT/SIGTERM; removes the data directory when asked to.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, type SandboxHandle } from "../sandbox/index";

export interface LaunchOptions {
  port: number;
  host: string;
  dataDir: string;
  timeScale: number;
  admin: { email: string; password: string };
  removeDataDirOnExit: boolean;
  /** More settings for the console (e.g. single sign-on against a test provider). */
  env?: Record<string, string>;
  /** Stopped with the console (e.g. that test provider). */
  alsoStop?: () => Promise<void>;
  onReady?: (sandbox: SandboxHandle) => void;
}

export async function launch(o: LaunchOptions): Promise<void> {
  const sandbox = await startSandbox({ timeScale: o.timeScale, tickMs: 500, quiet: true });
  fs.mkdirSync(o.dataDir, { recursive: true });
  const next = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(o.port), "-H", o.host], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      ...sandbox.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      CONSOLE_DATA_DIR: o.dataDir,
      CONSOLE_ADMIN_EMAIL: o.admin.email,
      CONSOLE_ADMIN_PASSWORD: o.admin.password,
      // A plain-HTTP lab on 127.0.0.1: production mode would otherwise mark cookies Secure.
      CONSOLE_SECURE_COOKIES: "false",
      ...o.env,
    },
  });
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    next.kill("SIGTERM");
    await sandbox.stop();
    await o.alsoStop?.();
    if (o.removeDataDirOnExit) fs.rmSync(o.dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGTERM", () => void shutdown(0));
  process.on("SIGINT", () => void shutdown(0));
  next.on("exit", (code) => void shutdown(code ?? 1));
  o.onReady?.(sandbox);
}
