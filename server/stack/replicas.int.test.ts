import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/server/db";
import { upsertStack } from "./registry";
import { freshPostgres } from "@/test/engines";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";
import { until } from "@/test/until";

// Several console replicas on one PostgreSQL (docs: "run several replicas behind a load balancer"): two replica
// processes (test/stack/replica-child.ts) on one throwaway database, against the sandbox.
// Exactly one executes a run while the other shows its progress; killing the executing one lets the other resume it;
// a scale made on one is visible on the other's next refresh.

interface Replica {
  id: string;
  proc: ChildProcessWithoutNullStreams;
  messages: Array<Record<string, unknown>>;
  send: (o: unknown) => void;
  exited: Promise<unknown>;
}

const children: Replica[] = [];
afterAll(() => {
  // Only replicas still running (a test failure left them behind); the test itself kills and awaits the others.
  for (const r of children) if (r.proc.exitCode === null && r.proc.signalCode === null) process.kill(-(r.proc.pid ?? 0), "SIGKILL");
});

async function startReplica(url: string): Promise<Replica> {
  const proc = spawn(
    process.execPath,
    [path.resolve("node_modules/tsx/dist/cli.mjs"), "--conditions", "react-server", "test/stack/replica-child.ts", url],
    // Its own process group: tsx runs the script in a grandchild, and a kill must take both.
    { env: process.env, stdio: ["pipe", "pipe", "pipe"], detached: true },
  );
  const messages: Array<Record<string, unknown>> = [];
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  readline.createInterface({ input: proc.stdout }).on("line", (l) => {
    try {
      messages.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      // not one of ours (a log line)
    }
  });
  const exited = new Promise((r) => proc.once("exit", r));
  const id = await until("replica ready", () => messages.find((m) => m.ready)?.ready as string | undefined, 60_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${stderr}`);
  });
  const r: Replica = { id, proc, messages, send: (o) => proc.stdin.write(JSON.stringify(o) + "\n"), exited };
  children.push(r);
  return r;
}

/** Sends a command and waits for the next answer that has `key`. */
async function ask<T>(r: Replica, cmd: unknown, key: string): Promise<T> {
  const before = r.messages.length;
  r.send(cmd);
  const answer = await until(`${key} from replica`, () => r.messages.slice(before).find((m) => key in m || "error" in m), 60_000);
  if ("error" in answer) throw new Error(String(answer.error));
  return answer[key] as T;
}

describe("two console replicas on one PostgreSQL", () => {
  it("one executes a run, the other shows its progress and resumes it when the first dies; scales are seen by both", async () => {
    fastRunner();
    const pg = await freshPostgres();
    const db: Db = await openDb({ url: pg.url });
    const spec = sandboxSpec();
    await upsertStack(db, { env: spec.env, region: spec.region, spec, status: "provisioning", createdBy: "test" });
    const runId = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });

    const [a, b] = await Promise.all([startReplica(pg.url), startReplica(pg.url)]);
    const owners = new Set<string>();
    const watch = setInterval(() => {
      void db.get<{ lease_owner: string | null }>("SELECT lease_owner FROM runs WHERE id = ?", [runId]).then((r) => {
        if (r?.lease_owner) owners.add(r.lease_owner);
      });
    }, 25);

    // Exactly one replica takes the run…
    const first = await until("a replica takes the lease", () => [...owners][0]);
    const executing = first === a!.id ? a! : b!;
    const watching = executing === a ? b! : a!;
    expect([a!.id, b!.id]).toContain(first);
    // …and the other one sees its steps finish one after another (what its run page shows), without executing.
    const progressSeen = (r: Replica) =>
      new Set(r.messages.filter((m) => m.progress === runId && m.status === "running").map((m) => Number(m.done)));
    await until("the other replica sees progress", () => (progressSeen(watching).size >= 3 ? true : undefined), 90_000);
    const seenBeforeKill = [...progressSeen(watching)].sort((x, y) => x - y);
    expect(seenBeforeKill[seenBeforeKill.length - 1]).toBeGreaterThan(seenBeforeKill[0]!);
    expect([...owners]).toEqual([executing.id]);

    // Kill the executing replica mid-run: the other resumes once the dead one's lease (1 s) expires.
    const beforeKill = await getRun(db, runId);
    expect(beforeKill?.status).toBe("running");
    process.kill(-(executing.proc.pid ?? 0), "SIGKILL");
    await executing.exited;
    await until("the run finishes", async () => ((await getRun(db, runId))?.status === "succeeded" ? true : undefined), 120_000);
    clearInterval(watch);
    expect([...owners]).toEqual([executing.id, watching.id]);
    const run = await getRun(db, runId);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => s.key)).toEqual([]);

    // A replacement replica joins; a scale on one replica is what the other's next refresh shows.
    const c = await startReplica(pg.url);
    const before = await ask<Record<string, number>>(c, { cmd: "snapshot", env: spec.env }, "desired");
    const target = (before.worker ?? 0) + 1;
    await ask(watching, { cmd: "scale", env: spec.env, service: "worker", desiredCount: target }, "scaled");
    // The other replica's overview refreshes every 10 s; its shared snapshot lives 2 s. Ask after that.
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await ask<Record<string, number>>(c, { cmd: "snapshot", env: spec.env }, "desired")).toEqual({ ...before, worker: target });

    for (const r of [watching, c]) {
      process.kill(-(r.proc.pid ?? 0), "SIGKILL");
      await r.exited;
    }
    // Clean up the sandbox for the next tests.
    const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(db, d)).toBe("succeeded");
    await db.close();
    await pg.drop();
  });
});
