// The e2e web server: a fresh sandbox (fast time), a test OpenID Connect provider, and the standalone production
// server (`npm run build`, as the container image runs it) on a throwaway data directory.
// Playwright starts this and stops it with SIGTERM.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedEnv } from "../sandbox/seed";
import { launch } from "../scripts/launch";
import { E2E_BASE_URL, E2E_PORT, OIDC_PORT, SANDBOX_INFO_FILE, users } from "./constants";
import { OIDC_TEST_CLIENT, OIDC_TEST_ROLE_MAP, startTestOidcProvider } from "./oidc-test-provider";

async function main(): Promise<void> {
  // Single sign-on against a real OpenID Connect provider on 127.0.0.1. Authorization codes live 5 s so the
  // expired-code test can wait one out; a browser redeems its code at once.
  const redirectUri = `${E2E_BASE_URL}/login/oidc/callback`;
  const oidc = await startTestOidcProvider({ port: OIDC_PORT, redirectUri, codeTtlSeconds: 5 });
  await launch({
    port: E2E_PORT,
    host: "127.0.0.1",
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "pec-e2e-")),
    timeScale: Number(process.env.E2E_TIME_SCALE ?? 100),
    admin: users.admin,
    removeDataDirOnExit: true,
    env: {
      CONSOLE_OIDC_ISSUER: oidc.issuer,
      CONSOLE_OIDC_CLIENT_ID: OIDC_TEST_CLIENT.id,
      CONSOLE_OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.secret,
      CONSOLE_OIDC_REDIRECT_URI: redirectUri,
      CONSOLE_OIDC_NAME: "Test IdP",
      CONSOLE_OIDC_ROLE_MAP: OIDC_TEST_ROLE_MAP,
    },
    alsoStop: oidc.stop,
    onReady: (sandbox) => {
      const { stop: _stop, ...info } = sandbox;
      fs.mkdirSync(path.dirname(SANDBOX_INFO_FILE), { recursive: true });
      // `vars`: the same SANDBOX_* names the integration tests get (SANDBOX_ISOLATED_VPC_ID, SANDBOX_HOSTED_ZONE_ID, …).
      fs.writeFileSync(SANDBOX_INFO_FILE, JSON.stringify({ ...info, vars: seedEnv(sandbox.seed) }, null, 2));
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
