// Starts the sandbox (moto + simulator) and the built console wired to it: the standalone production server
// (`node <distDir>/standalone/server.js`, what the container image runs), so the demo and the e2e suite exercise the
// deployable build. Used by `npm run demo` and by the e2e web server. Stops both on SIGINT/SIGTERM; removes the data
// directory when asked to.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
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
  const next = spawnConsole({
    port: o.port,
    host: o.host,
    env: {
      ...sandbox.env,
      CONSOLE_DATA_DIR: o.dataDir,
      CONSOLE_ADMIN_EMAIL: o.admin.email,
      CONSOLE_ADMIN_PASSWORD: o.admin.password,
      // A plain-HTTP lab on 127.0.0.1: production mode would otherwise mark cookies Secure.
      CONSOLE_SECURE_COOKIES: "false",
      ...o.env,
    },
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => next.once("exit", () => resolve()));
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // The console hands its runs back and ends its streams on SIGTERM (CONSOLE_SHUTDOWN_GRACE_MS): the sandbox it
    // talks to stops only after it has exited.
    if (next.exitCode === null && next.signalCode === null) next.kill("SIGTERM");
    await exited;
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

/**
 * The built console as it runs in production: `node <distDir>/standalone/server.js` on the project's Node 24
 * (process.execPath: the Node that runs this script, via scripts/node-env.sh or npm's PATH).
 */
export function spawnConsole(o: {
  port: number;
  host: string;
  env: Record<string, string | undefined>;
  stdio?: StdioOptions;
}): ChildProcess {
  return spawn(process.execPath, [standaloneServer()], {
    stdio: o.stdio ?? ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...o.env,
      // The standalone server listens on PORT and HOSTNAME (the shell's own HOSTNAME must not leak in).
      PORT: String(o.port),
      HOSTNAME: o.host,
    },
  });
}

/** `<distDir>/standalone/server.js` of the last `npm run build` (scripts/build.sh), with a clear error when missing. */
export function standaloneServer(distDir = process.env.NEXT_DIST_DIR ?? ".next"): string {
  const server = path.resolve(distDir, "standalone", "server.js");
  if (!fs.existsSync(server)) throw new Error(`${server} is missing: run \`npm run build\` first (scripts/build.sh).`);
  if (!fs.existsSync(path.resolve(distDir, "standalone", distDir, "static")))
    throw new Error(`The standalone build has no static assets: build with \`npm run build\` (scripts/build.sh), not \`next build\`.`);
  return server;
}
