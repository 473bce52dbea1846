import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/server/db";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun } from "./runs";
import { startRunChild } from "@/test/stack/run-child-process";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";

// A console process told to stop (SIGTERM: a deploy, a scale-in, `docker stop`) in the middle of an apply: it stops
// at a safe point and hands the lease back, so the next process resumes the run at once, not after the lease
// expires (a minute here), and the run converges with no duplicate resources.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pec-shutdown-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("SIGTERM during an apply on the sandbox", () => {
  it("hands the run back; the next process resumes it at once and converges", async () => {
    fastRunner();
    const file = path.join(dir, "console.sqlite");
    const db: Db = await openDb({ file });
    const spec = sandboxSpec();
    const id = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });

    const run = startRunChild(file, id, { graceful: true, leaseMs: 60_000 });
    await run.partWay(db, 3);
    run.child.kill("SIGTERM");
    // The child's grace is 10 s; it exits well within it (its run stops at the next wait between AWS calls).
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("run handed back at shutdown");
    expect(run.output()).toContain("run running");

    const handedBack = await db.get<{ status: string; lease_owner: string | null; lease_expires_at: number | null }>(
      "SELECT status, lease_owner, lease_expires_at FROM runs WHERE id = ?",
      [id],
    );
    expect(handedBack).toEqual({ status: "running", lease_owner: null, lease_expires_at: null });

    // The child's lease would have lasted 60 s: the first attempt takes the run over and finishes it.
    expect(await executeRun(db, id)).toBe("succeeded");
    const replan = await planApply(spec);
    expect(replan.items.filter((i) => i.action !== "noop").map((i) => i.key)).toEqual([]);

    const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(db, d)).toBe("succeeded");
    await db.close();
  });
});
