// Overview snapshot benchmark (not a test): one stack on the sandbox, the worker at 1, 10, 25, 50 tasks (its console maximum without auto scaling); for
// each N, the AWS calls one refresh makes (counted at the client layer, server/aws/client.ts) and the snapshot's
// server time (median and p90 of BENCH_SAMPLES refreshes, Prefect calls through the ALB stand-in included).
// Bars (QUALITY.md): calls constant in N and ≤ 15; p50 ≤ 150 ms. On a shared 2-core machine the times are noisy:
// moto is one Python process that the simulator also keeps busy.
// Run: npx tsx --conditions react-server bench/ops-snapshot.ts   Knobs: BENCH_SAMPLES (20). Results: bench/results/ops-snapshot.json.
import fs from "node:fs";
import path from "node:path";
import { startSandbox } from "../sandbox/index";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

async function main() {
  const sandbox = await startSandbox({ timeScale: 200, tickMs: 500, quiet: true });
  Object.assign(process.env, sandbox.env, {
    SANDBOX_ADMIN_URL: sandbox.adminUrl,
    SANDBOX_VPC_ID: sandbox.seed.vpcId,
    SANDBOX_PUBLIC_SUBNETS: sandbox.seed.publicSubnetIds.join(","),
    SANDBOX_PRIVATE_SUBNETS: sandbox.seed.privateSubnetIds.join(","),
  });
  // Imported after the endpoint is set: the SDK clients read AWS_ENDPOINT_URL when they are made.
  const { openDb } = await import("../server/db");
  const { createOpsStack } = await import("../test/fixtures/ops-stack");
  const { until } = await import("../test/until");
  const { stackSnapshot } = await import("../server/ops/snapshot");
  const { scaleService } = await import("../server/ops/scale-service");
  const { awsCallCounts, resetAwsCallCounts, totalAwsCalls } = await import("../server/aws/client");
  const db = await openDb({ file: ":memory:" });
  const rows: { tasks: number; calls: number; perOperation: Record<string, number>; p50Ms: number; p90Ms: number }[] = [];
  try {
    const stack = await createOpsStack(db, { env: "bench" });
    for (const n of [1, 10, 25, 50]) {
      await scaleService(db, { env: stack.env, service: "worker", desiredCount: n });
      await until(
        `worker at ${n}`,
        async () => {
          const s = await stackSnapshot(db, stack.env);
          const w = s?.services.ok ? s.services.data.find((x) => x.role === "worker") : undefined;
          return w?.steady && w.running === n && s?.prefect.health.ok;
        },
        180_000,
        500,
      );
      resetAwsCallCounts();
      await stackSnapshot(db, stack.env);
      const perOperation = awsCallCounts();
      const calls = totalAwsCalls();
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const s = await stackSnapshot(db, stack.env);
        times.push(s!.durationMs);
      }
      const row = { tasks: n + 1, calls, perOperation, p50Ms: pct(times, 0.5), p90Ms: pct(times, 0.9) };
      rows.push(row);
      process.stdout.write(
        `${String(row.tasks).padStart(4)} tasks: ${calls} AWS calls, snapshot p50 ${row.p50Ms} ms, p90 ${row.p90Ms} ms\n`,
      );
    }
    const out = path.join("bench", "results", "ops-snapshot.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify(
        { at: new Date().toISOString(), samples: SAMPLES, rows, constantCalls: new Set(rows.map((r) => r.calls)).size === 1 },
        null,
        2,
      ) + "\n",
    );
    process.stdout.write(`calls constant in N: ${new Set(rows.map((r) => r.calls)).size === 1} → ${out}\n`);
  } finally {
    await db.close();
    await sandbox.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
