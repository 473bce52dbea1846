// vitest globalSetup for the "integration" project: one sandbox (moto + simulator + proxies) for every
// integration file, at a fast time scale. Test workers inherit process.env set here.
import { startSandbox } from "../sandbox/index";
import { seedEnv } from "../sandbox/seed";

export default async function setup(): Promise<() => Promise<void>> {
  const timeScale = 200;
  const tickMs = 250;
  const sandbox = await startSandbox({ timeScale, tickMs, quiet: true, logLinesPerTaskPerSec: 5 });
  const extra: Record<string, string> = {
    SANDBOX_ADMIN_URL: sandbox.adminUrl,
    SANDBOX_MOTO_ENDPOINT: sandbox.motoEndpoint,
    SANDBOX_ALB_PROXY_URL: sandbox.albProxyUrl,
    ...seedEnv(sandbox.seed),
    SANDBOX_TIME_SCALE: String(timeScale),
    SANDBOX_TICK_MS: String(tickMs),
    // The account administrator (the sandbox's own tests); the product runs as the console's IAM user (sandbox.env).
    SANDBOX_ADMIN_ACCESS_KEY_ID: sandbox.adminCredentials.accessKeyId,
    SANDBOX_ADMIN_SECRET_ACCESS_KEY: sandbox.adminCredentials.secretAccessKey,
  };
  Object.assign(process.env, sandbox.env, extra);
  return async () => {
    await sandbox.stop();
  };
}
