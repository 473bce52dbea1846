// A console process in miniature for the crash test: executes one run from an SQLite store, then exits. The test
// kills it with SIGKILL in the middle. Run with: tsx --conditions react-server test/stack/run-child.ts FILE RUN_ID
import { openDb } from "@/server/db";
import { defaultSleep } from "@/server/stack/apply";
import { buildGraph, stackContext } from "@/server/stack/graph";
import { configureRunner, executeRun } from "@/server/stack/runs";

async function main() {
  const [file, runId] = process.argv.slice(2);
  if (!file || !runId) throw new Error("usage: run-child FILE RUN_ID");
  configureRunner({
    leaseMs: 1_000,
    backoffBaseMs: 100,
    context: stackContext,
    graph: (s) => buildGraph(s),
    timing: { pollMs: 100, timeoutMs: 120_000, now: () => Date.now(), sleep: defaultSleep },
  });
  const db = await openDb({ file });
  const status = await executeRun(db, runId);
  process.stdout.write(`run ${status}\n`);
  await db.close();
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + "\n");
  process.exit(1);
});
