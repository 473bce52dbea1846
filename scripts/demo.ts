// `npm run demo`: the console against a living sandbox AWS account, at http://localhost:3000.
import path from "node:path";
import { launch } from "./launch";

const port = Number(process.env.PORT ?? 3000);
const admin = {
  email: process.env.CONSOLE_ADMIN_EMAIL ?? "admin@example.com",
  password: process.env.CONSOLE_ADMIN_PASSWORD ?? "prefect-demo-admin",
};

launch({
  port,
  host: "0.0.0.0",
  // The sandbox starts empty each time, so the console's state starts empty with it.
  dataDir: path.join(process.cwd(), ".data", "demo"),
  timeScale: Number(process.env.SANDBOX_TIME_SCALE ?? 20),
  admin,
  removeDataDirOnExit: true,
  onReady: (sandbox) => {
    console.log(`
  Prefect ECS Console is running
    URL:       http://localhost:${port}
    Sign in:   ${admin.email} / ${admin.password}
    Sandbox:   AWS endpoint ${sandbox.awsEndpoint} (time ×${process.env.SANDBOX_TIME_SCALE ?? 20}), admin ${sandbox.adminUrl}
  Ctrl-C stops the console and the sandbox.
`);
  },
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
