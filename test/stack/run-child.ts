// A console process in miniature for the crash and shutdown tests: executes one run from an SQLite store, then exits.
// The crash test kills it with SIGKILL in the middle; with --graceful it installs the console's shutdown handling
// (server/lifecycle, as instrumentation.ts does) and the shutdown test sends SIGTERM. RUN_CHILD_LEASE_MS sets the
// lease (1 s by default). Run with: node --conditions react-server --import tsx test/stack/run-child.ts FILE RUN_ID [--graceful]
import { openDb } from "@/server/db";
import { installShutdown } from "@/server/lifecycle/install";
import { defaultSleep } from "@/server/stack/apply";
import { buildGraph, stackContext } from "@/server/stack/graph";
import { configureRunner, executeRun } from "@/server/stack/runs";

async function main() {
  const [file, runId, flag] = process.argv.slice(2);
  if (!file || !runId) throw new Error("usage: run-child FILE RUN_ID [--graceful]");
  configureRunner({
    leaseMs: Number(process.env.RUN_CHILD_LEASE_MS ?? 1_000),
    backoffBaseMs: 100,
    context: stackContext,
    graph: (s) => buildGraph(s),
    timing: { pollMs: 100, timeoutMs: 120_000, now: () => Date.now(), sleep: defaultSleep },
  });
  if (flag === "--graceful") installShutdown(10_000);
  const db = await openDb({ file });
  const status = await executeRun(db, runId);
  process.stdout.write(`run ${status}\n`);
  await db.close();
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + "\n");
  process.exit(1);
});
