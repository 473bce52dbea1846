// vitest globalSetup for the "integration" project: one sandbox (moto + simulator + proxies) for every
// integration file, at a fast time scale. Test workers inherit process.env set here.
import { startSandbox, type SandboxHandle } from "../sandbox/index";
import { seedEnv } from "../sandbox/seed";

/**
 * The environment the tests' fixtures (test/fixtures/sandbox.ts) read: the product's settings (sandbox.env: endpoint,
 * the console's IAM user), the seed's ids, the admin endpoints and the account administrator's keys. Also used by the
 * benchmarks' harness (bench/logs-harness.ts).
 */
export function sandboxTestEnv(sandbox: SandboxHandle, timing: { timeScale: number; tickMs: number }): Record<string, string> {
  return {
    ...sandbox.env,
    SANDBOX_ADMIN_URL: sandbox.adminUrl,
    SANDBOX_MOTO_ENDPOINT: sandbox.motoEndpoint,
    SANDBOX_ALB_PROXY_URL: sandbox.albProxyUrl,
    ...seedEnv(sandbox.seed),
    SANDBOX_TIME_SCALE: String(timing.timeScale),
    SANDBOX_TICK_MS: String(timing.tickMs),
    // The account administrator (the sandbox's own tests); the product runs as the console's IAM user (sandbox.env).
    SANDBOX_ADMIN_ACCESS_KEY_ID: sandbox.adminCredentials.accessKeyId,
    SANDBOX_ADMIN_SECRET_ACCESS_KEY: sandbox.adminCredentials.secretAccessKey,
  };
}

export default async function setup(): Promise<() => Promise<void>> {
  const timing = { timeScale: 200, tickMs: 250 };
  const sandbox = await startSandbox({ ...timing, quiet: true, logLinesPerTaskPerSec: 5 });
  Object.assign(process.env, sandboxTestEnv(sandbox, timing));
  return async () => {
    await sandbox.stop();
  };
}
