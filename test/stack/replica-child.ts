// One console replica in miniature for the two-replica test: on a PostgreSQL store it does what instrumentation.ts
// and the pages of a real replica do — sweeps for runs to execute (taking a lease, as the run sweeper does), reports
// the progress of every run it can see (what the run page shows), and answers commands on stdin (one JSON per line):
//   {"cmd":"scale","env":…,"service":"worker","desiredCount":n}  → {"scaled":{…}}      (the scale action's service)
//   {"cmd":"snapshot","env":…}                                   → {"desired":{…}}     (the overview's shared snapshot)
// Run with: tsx --conditions react-server test/stack/replica-child.ts DATABASE_URL
import readline from "node:readline";
import { openDb } from "@/server/db";
import { scaleService } from "@/server/ops/scale-service";
import { sharedSnapshot } from "@/server/ops/snapshot-cache";
import { defaultSleep } from "@/server/stack/apply";
import { buildGraph, stackContext } from "@/server/stack/graph";
import { configureRunner, getRun, resumeRuns } from "@/server/stack/runs";
import { OWNER } from "@/server/stack/runs/lease";

const say = (o: unknown) => process.stdout.write(JSON.stringify(o) + "\n");

async function main() {
  const [url] = process.argv.slice(2);
  if (!url) throw new Error("usage: replica-child DATABASE_URL");
  configureRunner({
    leaseMs: 1_000,
    backoffBaseMs: 100,
    context: stackContext,
    graph: (s) => buildGraph(s),
    timing: { pollMs: 100, timeoutMs: 120_000, now: () => Date.now(), sleep: defaultSleep },
  });
  const db = await openDb({ url });
  say({ ready: OWNER });
  setInterval(() => {
    void (async () => {
      await resumeRuns(db);
      for (const { id } of await db.all<{ id: string }>("SELECT id FROM runs")) {
        const run = await getRun(db, id);
        if (run) say({ progress: id, status: run.status, done: run.steps.filter((s) => s.status === "done").length });
      }
    })().catch((err: unknown) => say({ error: String(err) }));
  }, 200);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const c = JSON.parse(line) as { cmd: string; env: string; service?: "server" | "worker"; desiredCount?: number };
    try {
      if (c.cmd === "scale") say({ scaled: await scaleService(db, { env: c.env, service: c.service!, desiredCount: c.desiredCount! }) });
      if (c.cmd === "snapshot") {
        const snap = await sharedSnapshot(db, c.env, { prefect: false });
        const services = snap?.services.ok ? snap.services.data : [];
        say({ desired: Object.fromEntries(services.map((s) => [s.role, s.desired])) });
      }
    } catch (err) {
      say({ error: err instanceof Error ? err.message : String(err) });
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + "\n");
  process.exit(1);
});
