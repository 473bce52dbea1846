// vitest globalSetup for the "integration" project: one sandbox (moto + simulator + proxies) for every
// integration file, at a fast time scale. Test workers inherit process.env set here.
import { startSandbox } from "../sandbox/index";
import { seedEnv } from "../sandbox/seed";

export default async function setup(): Promise<() => Promise<void>> {
  const sandbox = await startSandbox({ timeScale: 200, tickMs: 250, quiet: true, logLinesPerTaskPerSec: 5 });
  const extra: Record<string, string> = {
    SANDBOX_ADMIN_URL: sandbox.adminUrl,
    SANDBOX_MOTO_ENDPOINT: sandbox.motoEndpoint,
    SANDBOX_ALB_PROXY_URL: sandbox.albProxyUrl,
    ...seedEnv(sandbox.seed),
    SANDBOX_TIME_SCALE: "200",
    // The account administrator (the sandbox's own tests); the product runs as the console's IAM user (sandbox.env).
    SANDBOX_ADMIN_ACCESS_KEY_ID: sandbox.adminCredentials.accessKeyId,
    SANDBOX_ADMIN_SECRET_ACCESS_KEY: sandbox.adminCredentials.secretAccessKey,
  };
  Object.assign(process.env, sandbox.env, extra);
  return async () => {
    await sandbox.stop();
  };
}
