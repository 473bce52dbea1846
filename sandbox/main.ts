// `npm run sandbox [-- --scale 100 --tick 500 --log-rate 5 --quiet --no-seed]`
// Starts the sandbox, prints endpoints, the env lines to export and the knobs, writes .data/sandbox.json for other
// scripts, and shuts everything down (moto included) on Ctrl-C / SIGTERM.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startSandbox } from "./index";

const { values } = parseArgs({
  options: {
    scale: { type: "string" },
    tick: { type: "string" },
    "log-rate": { type: "string" },
    quiet: { type: "boolean", default: false },
    "no-seed": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  process.stdout.write(
    "usage: npm run sandbox -- [--scale N (default 20)] [--tick MS (default 1000)] [--log-rate LINES_PER_TASK_PER_SEC (default 1)] [--quiet] [--no-seed]\n",
  );
  process.exit(0);
}

const num = (v: string | undefined, name: string, allowZero = false): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
    process.stderr.write(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number\n`);
    process.exit(2);
  }
  return n;
};

const file = path.resolve(process.cwd(), ".data", "sandbox.json");

async function main() {
  const handle = await startSandbox({
    timeScale: num(values.scale, "scale"),
    tickMs: num(values.tick, "tick"),
    logLinesPerTaskPerSec: num(values["log-rate"], "log-rate", true),
    quiet: values.quiet,
    seed: !values["no-seed"],
  });
  const { stop, ...fields } = handle;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...fields, pid: process.pid, startedAt: new Date().toISOString() }, null, 2));

  const a = handle.adminUrl;
  process.stdout.write(
    [
      "",
      "Prefect ECS Console sandbox is running.",
      `  AWS endpoint (fault/time proxy): ${handle.awsEndpoint}`,
      `  moto (direct):                   ${handle.motoEndpoint}`,
      `  ALB data plane (HTTP proxy):     ${handle.albProxyUrl}`,
      `  admin:                           ${a}`,
      `  seeded: ${handle.seed.vpcId} public ${handle.seed.publicSubnetIds.join(",")} private ${handle.seed.privateSubnetIds.join(",")}`,
      `          NAT ${handle.seed.natGatewayId} (${handle.seed.natPublicIp}) · isolated VPC ${handle.seed.isolated.vpcId} · no-NAT VPC ${handle.seed.nonat.vpcId}`,
      `          certificates ${handle.seed.certificateArn} ${handle.seed.wildcardCertificateArn} · zone ${handle.seed.domain} ${handle.seed.hostedZoneId}`,
      "",
      "Export for the console:",
      ...Object.entries(handle.env).map(([k, v]) => `  export ${k}=${v}`),
      "",
      "Knobs:",
      `  curl ${a}/state`,
      `  curl -X POST ${a}/faults -d '{"throttle":0.3,"error5xx":0.05,"latencyMs":200,"drop":0.01,"operations":["DescribeServices"],"seed":1}'`,
      `  curl -X DELETE ${a}/faults`,
      `  curl ${a}/calls            (curl -X DELETE ${a}/calls to reset)`,
      `  curl -X POST ${a}/cpu -d '{"cluster":"prefect-production","service":"prefect-server","percent":95}'   (percent null releases)`,
      `  curl -X POST ${a}/log-rate -d '{"linesPerTaskPerSec":50}'`,
      `  curl -X POST ${a}/rds/maintenance -d '{}'   (apply ApplyImmediately=false changes)`,
      "",
      `Wrote ${path.relative(process.cwd(), file)}. Ctrl-C stops everything.`,
      "",
    ].join("\n"),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the sandbox…\n`);
    void stop()
      .catch((e: unknown) => process.stderr.write(`stop failed: ${String(e)}\n`))
      .finally(() => {
        fs.rmSync(file, { force: true });
        process.exit(0);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  fs.rmSync(file, { force: true });
  process.exit(1);
});
