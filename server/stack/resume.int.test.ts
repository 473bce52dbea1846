import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/server/db";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun, requestCancel } from "./runs";
import { startRunChild } from "@/test/stack/run-child-process";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";
import { until } from "@/test/until";
import { ActiveRunError } from "./runs";
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient, ListServicesCommand } from "@aws-sdk/client-ecs";
import { stackNames } from "@/lib/names";

// A console process killed in the middle of an apply: its run stays `running` with a lease that expires; the next
// process resumes it (keeping the steps that finished) and converges to the same stack a clean apply makes.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pec-resume-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("interrupted apply on the sandbox", () => {
  it("a run killed mid-apply resumes in a new process and converges", async () => {
    fastRunner();
    const file = path.join(dir, "console.sqlite");
    const db: Db = await openDb({ file });
    const spec = sandboxSpec();
    const id = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });

    // Kill it once a few steps are done but the apply is not finished.
    const proc = startRunChild(file, id);
    const doneBeforeKill = await proc.partWay(db, 4);
    proc.child.kill("SIGKILL");
    await proc.exited;

    const interrupted = await getRun(db, id);
    expect(interrupted?.status).toBe("running");
    expect(doneBeforeKill).toBeLessThan(interrupted?.steps.length ?? 0);

    // This process can't take the run until the dead owner's lease expires (1 s in the child).
    const seen: string[] = [];
    await until(
      "lease expired",
      async () => {
        const st = await executeRun(db, id);
        if (st !== undefined) seen.push(st);
        return st === undefined ? undefined : true;
      },
      30_000,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message} ${JSON.stringify(seen)}`);
    });
    expect(seen).toEqual(["succeeded"]);
    const run = await getRun(db, id);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => s.key)).toEqual([]);
    const replan = await planApply(spec);
    expect(replan.items.filter((i) => i.action !== "noop").map((i) => `${i.key}: ${JSON.stringify(i.changes)}`)).toEqual([]);

    // Clean up the sandbox for the next tests.
    const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(db, d)).toBe("succeeded");
    await db.close();
    // A child process start (tsx, 10–25 s on a busy 2-core machine), an apply and a destroy on the strict sandbox.
  }, 300_000);

  it("killed at 10 random points of applies, each run still converges to the same stack (no duplicates)", async () => {
    fastRunner();
    const file = path.join(dir, "crash10.sqlite");
    const db: Db = await openDb({ file });
    // A small seeded generator: the kill points differ per point but the test is repeatable.
    let seed = 20261129;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let kills = 0;
    let stacks = 0;
    // An apply may finish before 10 kills (the sandbox keeps AWS's clock running between them): then the next
    // stack is applied the same way, until 10 kills have happened in all.
    while (kills < 10) {
      stacks++;
      const spec = sandboxSpec();
      const id = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });
      let lastOwner: string | null = null;
      while (kills < 10) {
        const { child, exited } = startRunChild(file, id);
        // Wait until the new process has taken the run's lease (it is executing), then kill it at a random point
        // of its next 400 ms of work.
        const owner = await until(
          "the new process takes the lease",
          async () => {
            const row = await db.get<{ lease_owner: string | null; status: string }>("SELECT lease_owner, status FROM runs WHERE id = ?", [
              id,
            ]);
            if (row?.status === "succeeded") return "finished";
            return row?.lease_owner && row.lease_owner !== lastOwner ? row.lease_owner : undefined;
          },
          30_000,
          50,
        );
        if (owner === "finished") {
          await exited;
          break;
        }
        lastOwner = owner;
        await new Promise((r) => setTimeout(r, rand() * 400));
        child.kill("SIGKILL"); // a no-op if it had finished (and exited) just before
        await exited;
        if ((await getRun(db, id))?.status !== "succeeded") kills++;
        await new Promise((r) => setTimeout(r, 1_100)); // the dead owner's lease (1 s) expires
      }
      // This process finishes what is left (or finds it finished) — the same converged stack as a clean apply.
      const last = await executeRun(db, id);
      expect(last === "succeeded" || (await getRun(db, id))?.status === "succeeded").toBe(true);
      const replan = await planApply(spec);
      expect(replan.items.filter((i) => i.action !== "noop").map((i) => i.key)).toEqual([]);
      const n = stackNames(spec.env);
      const groups =
        (
          await new EC2Client({ region: spec.region }).send(
            new DescribeSecurityGroupsCommand({ Filters: [{ Name: "tag:prefect-console:stack", Values: [spec.env] }] }),
          )
        ).SecurityGroups ?? [];
      expect(groups.map((g) => g.GroupName).sort()).toEqual([n.albSecurityGroup, n.tasksSecurityGroup, n.dbSecurityGroup].sort());
      expect(
        ((await new ECSClient({ region: spec.region }).send(new ListServicesCommand({ cluster: n.cluster }))).serviceArns ?? []).length,
      ).toBe(2);
      const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
      expect(await executeRun(db, d)).toBe("succeeded");
    }
    expect(kills).toBe(10);
    expect(stacks).toBeLessThanOrEqual(4);
    await db.close();
    // Ten fresh processes (tsx compiles the server code in each): a start alone takes 10–25 s on a busy 2-core
    // machine, so the file's 120 s budget is too short for this one.
  }, 360_000);

  it("a cancelled apply stops, says so, and a new apply continues to converged", async () => {
    fastRunner();
    const db = await openDb({ file: ":memory:" });
    const spec = sandboxSpec();
    const id = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });
    const running = executeRun(db, id);
    await until(
      "a few steps done",
      async () => ((await getRun(db, id))?.steps.filter((s) => s.status === "done").length ?? 0) >= 3 || undefined,
    );
    expect(await requestCancel(db, id)).toBe(true);
    expect(await running).toBe("cancelled");
    const run = await getRun(db, id);
    expect(run?.status).toBe("cancelled");
    expect(run?.error).toBe("Cancelled by a user");
    expect(run?.steps.some((s) => s.status === "cancelled")).toBe(true);
    const again = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });
    expect(await executeRun(db, again)).toBe("succeeded");
    expect((await planApply(spec)).items.filter((i) => i.action !== "noop")).toEqual([]);
    const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(db, d)).toBe("succeeded");
    await db.close();
  });

  it("two applies of one stack at once: one runs, the other is refused with a clear message", async () => {
    const db = await openDb({ file: ":memory:" });
    const spec = sandboxSpec();
    const plan = await planApply(spec);
    const results = await Promise.allSettled([
      createRun(db, { spec, plan, kind: "apply", createdBy: "a" }),
      createRun(db, { spec, plan, kind: "apply", createdBy: "b" }),
    ]);
    const ok = results.filter((r): r is PromiseFulfilledResult<string> => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toBeInstanceOf(ActiveRunError);
    expect(String((refused[0]?.reason as Error).message)).toMatch(/already in progress/);
    expect(await executeRun(db, ok[0]!.value)).toBe("succeeded");
    const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(db, d)).toBe("succeeded");
    await db.close();
  });
});
