import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/server/db";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";
import { until } from "@/test/until";

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

    // One process (no tsx wrapper that would relay the signal): node with tsx as a loader.
    const child = spawn(
      process.execPath,
      ["--conditions", "react-server", "--import", "tsx", "test/stack/run-child.ts", file, id, "--graceful"],
      { env: { ...process.env, RUN_CHILD_LEASE_MS: "60000" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

    await until("some steps done", async () => {
      const r = await getRun(db, id);
      if (r?.status === "succeeded") throw new Error(`the child finished before it could be stopped\n${output}`);
      const done = r?.steps.filter((s) => s.status === "done").length ?? 0;
      return done >= 3 ? done : undefined;
    }).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${output}`);
    });
    child.kill("SIGTERM");
    // The child's grace is 10 s; it exits well within it (its run stops at the next wait between AWS calls).
    expect(await exited).toBe(0);
    expect(output).toContain("run handed back at shutdown");
    expect(output).toContain("run running");

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
