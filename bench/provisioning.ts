// Provisioning benchmark (not a test): applies full stacks on the sandbox at a realistic time scale and prints
//  - wall time of the apply run (first step started → last step done);
//  - its critical path: the longest dependency chain through the steps' own measured durations (what an ideal
//    scheduler with the same per-resource waits would take) → ratio wall / critical path (bar ≤ 1.05);
//  - the sequential sum of the same step durations (a script that does one resource after the other, the seed's
//    order) → how much the parallel walk saves;
//  - a lower bound from the sandbox's AWS clock (RDS create, then server and worker tasks starting), for scale.
// Run: npx tsx --conditions react-server bench/provisioning.ts   Knobs: BENCH_SCALE (20), BENCH_RUNS (3).
// Results: bench/results/provisioning.json.
import fs from "node:fs";
import path from "node:path";
import { startSandbox } from "../sandbox/index";
import { AWS_SECONDS } from "../sandbox/physics/timing";

const SCALE = Number(process.env.BENCH_SCALE ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main() {
  const sandbox = await startSandbox({ timeScale: SCALE, tickMs: 250, quiet: true });
  Object.assign(process.env, sandbox.env, { CONSOLE_APPLY_POLL_MS: "1000" });
  // Imported after the endpoint is set: the SDK clients read AWS_ENDPOINT_URL when they are made.
  const { openDb } = await import("../server/db");
  const { defaultSpec } = await import("../lib/stack-spec");
  const { planApply, planDestroy } = await import("../server/stack/plan");
  const { createRun, executeRun, getRun } = await import("../server/stack/runs");
  const db = await openDb({ file: ":memory:" });
  const results: { wallMs: number; criticalMs: number; sequentialMs: number; chain: string[] }[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const spec = defaultSpec({
        env: `bench${Date.now().toString(36).slice(-5)}`,
        region: "us-east-1",
        vpcId: sandbox.seed.vpcId,
        privateSubnetIds: sandbox.seed.privateSubnetIds,
        publicSubnetIds: sandbox.seed.publicSubnetIds,
      });
      const id = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "bench" });
      const status = await executeRun(db, id);
      const run = await getRun(db, id);
      if (status !== "succeeded" || !run) throw new Error(`apply ${status}: ${run?.error}`);
      const steps = new Map(run.steps.map((s) => [s.key, s]));
      const dur = (k: string) => {
        const s = steps.get(k);
        return s?.startedAt && s.finishedAt ? s.finishedAt - s.startedAt : 0;
      };
      // Longest path through the DAG, weighted by each step's own duration.
      const memo = new Map<string, { ms: number; chain: string[] }>();
      const longest = (k: string): { ms: number; chain: string[] } => {
        const hit = memo.get(k);
        if (hit) return hit;
        const deps = steps.get(k)?.deps ?? [];
        const best = deps.map(longest).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, chain: [] as string[] });
        const r = { ms: best.ms + dur(k), chain: [...best.chain, k] };
        memo.set(k, r);
        return r;
      };
      const critical = [...steps.keys()].map(longest).reduce((a, b) => (b.ms > a.ms ? b : a));
      const start = Math.min(...run.steps.map((s) => s.startedAt ?? Infinity));
      const end = Math.max(...run.steps.map((s) => s.finishedAt ?? 0));
      const r = {
        wallMs: end - start,
        criticalMs: critical.ms,
        sequentialMs: run.steps.reduce((a, s) => a + dur(s.key), 0),
        chain: critical.chain,
      };
      results.push(r);
      process.stdout.write(
        `run ${i + 1}: wall ${(r.wallMs / 1000).toFixed(1)} s, critical path ${(r.criticalMs / 1000).toFixed(1)} s (${r.chain.join(" → ")}), sequential ${(r.sequentialMs / 1000).toFixed(1)} s\n`,
      );
      const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "bench" });
      await executeRun(db, d);
    }
  } finally {
    await db.close();
    await sandbox.stop();
  }
  const wall = median(results.map((r) => r.wallMs));
  const critical = median(results.map((r) => r.criticalMs));
  const sequential = median(results.map((r) => r.sequentialMs));
  const lowerBoundMs = ((AWS_SECONDS.rdsCreate + 2 * (AWS_SECONDS.taskProvisioning + AWS_SECONDS.taskPending)) / SCALE) * 1000;
  const summary = {
    scale: SCALE,
    runs: RUNS,
    medianWallMs: wall,
    medianCriticalPathMs: critical,
    medianSequentialMs: sequential,
    wallOverCriticalPath: Number((wall / critical).toFixed(3)),
    sequentialOverWall: Number((sequential / wall).toFixed(2)),
    awsClockLowerBoundMs: Math.round(lowerBoundMs),
    wallOverAwsLowerBound: Number((wall / lowerBoundMs).toFixed(2)),
    criticalChain: results[0]?.chain ?? [],
    measuredAt: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  const out = path.join(process.cwd(), "bench", "results", "provisioning.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(summary, null, 2) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
