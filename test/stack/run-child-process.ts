// Starts test/stack/run-child.ts — a console process in miniature executing one run — for the crash and shutdown
// tests, and waits until its apply is part-way through. One process (node with tsx as a loader, no tsx wrapper), so a
// signal sent to it reaches the run itself.
import { spawn } from "node:child_process";
import type { Db } from "@/server/db";
import { getRun } from "@/server/stack/runs";
import { until } from "@/test/until";

export function startRunChild(file: string, runId: string, opts: { graceful?: boolean; leaseMs?: number } = {}) {
  const child = spawn(
    process.execPath,
    ["--conditions", "react-server", "--import", "tsx", "test/stack/run-child.ts", file, runId, ...(opts.graceful ? ["--graceful"] : [])],
    {
      env: { ...process.env, ...(opts.leaseMs ? { RUN_CHILD_LEASE_MS: String(opts.leaseMs) } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    exited,
    output: () => output,
    /** Resolves with the number of finished steps once at least `steps` are done and the run is not. */
    async partWay(db: Db, steps: number): Promise<number> {
      return until(
        `${steps} steps done`,
        async () => {
          const r = await getRun(db, runId);
          if (r?.status === "succeeded") throw new Error("the child finished before the test could interrupt it");
          const done = r?.steps.filter((s) => s.status === "done").length ?? 0;
          return done >= steps ? done : undefined;
        },
        60_000,
      ).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}\n${output}`);
      });
    },
  };
}
