// The e2e web server: a fresh sandbox (fast time) and `next start` on a throwaway data directory.
// Playwright starts this and stops it with SIGTERM.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedEnv } from "../sandbox/seed";
import { launch } from "../scripts/launch";
import { E2E_PORT, SANDBOX_INFO_FILE, users } from "./constants";

launch({
  port: E2E_PORT,
  host: "127.0.0.1",
  dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "pec-e2e-")),
  timeScale: Number(process.env.E2E_TIME_SCALE ?? 100),
  admin: users.admin,
  removeDataDirOnExit: true,
  onReady: (sandbox) => {
    const { stop: _stop, ...info } = sandbox;
    fs.mkdirSync(path.dirname(SANDBOX_INFO_FILE), { recursive: true });
    // `vars`: the same SANDBOX_* names the integration tests get (SANDBOX_ISOLATED_VPC_ID, SANDBOX_HOSTED_ZONE_ID, …).
    fs.writeFileSync(SANDBOX_INFO_FILE, JSON.stringify({ ...info, vars: seedEnv(sandbox.seed) }, null, 2));
  },
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
