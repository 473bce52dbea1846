import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stackNames } from "@/lib/names";
import { defaultSpec, type StackSpec } from "@/lib/stack-spec";
import { openDb, type Db } from "@/server/db";
import { getStack } from "@/server/stacks/registry";
import { awsError } from "@/server/aws/errors";
import type { Plan } from "@/lib/plan";
import { ActiveRunError, activeRun, configureRunner, createRun, executeRun, getRun, requestCancel, resumeRuns } from "./runs";
import { fakeGraph, fakeWorld, type FakeWorld } from "./testing/fake-resources";

let n = 0;
const spec = (): StackSpec =>
  defaultSpec({
    env: `u${Date.now().toString(36)}${n++}`,
    vpcId: "vpc-0abc1234",
    privateSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
    publicSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
  });

function planFor(s: StackSpec, w: FakeWorld, kind: "apply" | "destroy" = "apply"): Plan {
  const items = fakeGraph(w).map((nd) => ({
    key: nd.resource.key,
    kind: "fake",
    group: "compute" as const,
    name: nd.resource.key,
    action: kind === "apply" ? ("create" as const) : ("delete" as const),
    changes: [],
    notes: [],
    deps: nd.deps,
    current: "",
  }));
  return {
    env: s.env,
    region: s.region,
    kind,
    items,
    counts: { noop: 0, create: items.length, update: 0, replace: 0, delete: 0 },
    cost: {} as Plan["cost"],
    blockers: [],
    createdAt: Date.now(),
  };
}

function useFakes(w: FakeWorld) {
  configureRunner({
    leaseMs: 300,
    backoffBaseMs: 1,
    maxAttempts: 2,
    context: async (s) => ({ env: s.env, region: s.region, spec: s, names: stackNames(s.env), account: "123456789012", partition: "aws" }),
    graph: () => fakeGraph(w),
    timing: { pollMs: 5, timeoutMs: 5_000, now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  });
}

const stores: [string, () => Promise<Db>][] = [["SQLite", () => openDb({ file: ":memory:" })]];
if (process.env.TEST_DATABASE_URL) stores.push(["PostgreSQL", () => openDb({ url: process.env.TEST_DATABASE_URL })]);

describe.each(stores)("durable runs on %s", (_name, open) => {
  let db: Db;
  let w: FakeWorld;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    configureRunner(undefined);
    await db.close();
  });
  beforeEach(() => {
    w = fakeWorld();
    useFakes(w);
  });

  it("executes an apply to the end, persisting each step, and marks the stack ready", async () => {
    const s = spec();
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    expect((await getStack(db, s.env))?.status).toBe("provisioning");
    expect(await executeRun(db, id)).toBe("succeeded");
    const run = await getRun(db, id);
    expect(run?.steps.map((st) => `${st.key}:${st.status}`)).toEqual(["net:done", "db:done", "lb:done", "svc:done"]);
    expect(run?.steps.every((st) => st.startedAt !== null && st.finishedAt !== null)).toBe(true);
    expect((await getStack(db, s.env))?.status).toBe("ready");
    expect(w.calls.sort()).toEqual(["create db", "create lb", "create net", "create svc"]);
  });

  it("refuses a second active run for the same stack with a clear message", async () => {
    const s = spec();
    const first = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    await expect(createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" })).rejects.toThrow(ActiveRunError);
    await expect(createRun(db, { spec: s, plan: planFor(s, w), kind: "destroy", createdBy: "t" })).rejects.toThrow(/already in progress/);
    expect((await activeRun(db, s.env))?.id).toBe(first);
  });

  it("two concurrent applies: exactly one is stored", async () => {
    const s = spec();
    const results = await Promise.allSettled([
      createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "a" }),
      createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "b" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toSatisfy((errs: unknown[]) =>
      errs.every((e) => e instanceof ActiveRunError),
    );
  });

  it("leaves a run leased by another live process alone, and takes it over once the lease expires", async () => {
    const s = spec();
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    await db.run("UPDATE runs SET status = 'running', lease_owner = 'other-process', lease_expires_at = ? WHERE id = ?", [
      Date.now() + 60_000,
      id,
    ]);
    expect(await executeRun(db, id)).toBeUndefined();
    expect(await resumeRuns(db)).not.toContain(id);
    expect(w.calls).toEqual([]);
    await db.run("UPDATE runs SET lease_expires_at = ? WHERE id = ?", [Date.now() - 1, id]);
    expect(await executeRun(db, id)).toBe("succeeded");
  });

  it("resumes an interrupted run: finished steps are kept, the rest converge", async () => {
    const s = spec();
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    // What a process killed mid-apply leaves behind: net done (and really there), db running, lease expired.
    w.state.set("net", { size: s.serverDesiredCount, readyAfterPolls: 0 });
    await db.run("UPDATE runs SET status = 'running', started_at = ?, lease_owner = 'dead', lease_expires_at = ? WHERE id = ?", [
      Date.now(),
      Date.now() - 1,
      id,
    ]);
    await db.run("UPDATE run_steps SET status = 'done', outputs = ? WHERE run_id = ? AND step_key = 'net'", [
      JSON.stringify({ size: "1" }),
      id,
    ]);
    await db.run("UPDATE run_steps SET status = 'running' WHERE run_id = ? AND step_key = 'db'", [id]);
    expect(await executeRun(db, id)).toBe("succeeded");
    expect(w.calls.sort()).toEqual(["create db", "create lb", "create svc"]);
    expect((await getRun(db, id))?.steps.every((st) => st.status === "done")).toBe(true);
  });

  it("a failed step stops the run with its error; applying again continues", async () => {
    const s = spec();
    w.failCreate.add("lb");
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    expect(await executeRun(db, id)).toBe("failed");
    const run = await getRun(db, id);
    expect(run?.steps.find((st) => st.key === "lb")?.error).toBe("cannot create lb");
    expect(run?.steps.find((st) => st.key === "svc")?.status).toBe("skipped");
    expect((await getStack(db, s.env))?.status).toBe("failed");
    w.failCreate.clear();
    w.calls.length = 0;
    const again = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    expect(await executeRun(db, again)).toBe("succeeded");
    expect(w.calls.sort()).toEqual(["create lb", "create svc"]);
    // Once it has been ready, a failing change leaves the stack "degraded" (still running), not "failed".
    w.state.delete("lb");
    w.failCreate.add("lb");
    const third = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    expect(await executeRun(db, third)).toBe("failed");
    expect((await getStack(db, s.env))?.status).toBe("degraded");
  });

  it("an AWS AccessDenied stops the run at once with an actionable message (no retries)", async () => {
    const s = spec();
    const sdkError = Object.assign(
      new Error("User: arn:aws:sts::1:assumed-role/console is not authorized to perform: elasticloadbalancing:CreateLoadBalancer"),
      {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      },
    );
    w.createError.set("lb", awsError(sdkError, "elasticloadbalancing:CreateLoadBalancer", `prefect-${s.env}`));
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    expect(await executeRun(db, id)).toBe("failed");
    const lb = (await getRun(db, id))?.steps.find((st) => st.key === "lb");
    expect(lb?.attempts).toBe(1);
    expect(lb?.error).toBe(
      `The console's role may not call elasticloadbalancing:CreateLoadBalancer on prefect-${s.env}. Grant elasticloadbalancing:CreateLoadBalancer to the console's IAM identity (see README, "IAM permissions").`,
    );
  });

  it("a throttled AWS call is retried and the run succeeds", async () => {
    const s = spec();
    const throttled = awsError(
      Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }),
      "ecs:CreateCluster",
      "x",
    );
    w.createError.set("db", throttled);
    w.createErrorOnce = true;
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    expect(await executeRun(db, id)).toBe("succeeded");
    expect((await getRun(db, id))?.steps.find((st) => st.key === "db")?.attempts).toBe(2);
  });

  it("cancel: the run stops and says so", async () => {
    const s = spec();
    w.createDelayMs = 50;
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    const done = executeRun(db, id);
    await new Promise((r) => setTimeout(r, 20));
    expect(await requestCancel(db, id)).toBe(true);
    expect(await done).toBe("cancelled");
    const run = await getRun(db, id);
    expect(run?.status).toBe("cancelled");
    expect(run?.steps.some((st) => st.status === "cancelled")).toBe(true);
    expect(await requestCancel(db, id)).toBe(false);
  });

  it("destroy walks the graph in reverse", async () => {
    const s = spec();
    const id = await createRun(db, { spec: s, plan: planFor(s, w), kind: "apply", createdBy: "t" });
    await executeRun(db, id);
    w.calls.length = 0;
    const d = await createRun(db, { spec: s, plan: planFor(s, w, "destroy"), kind: "destroy", createdBy: "t" });
    expect(await executeRun(db, d)).toBe("succeeded");
    const order = w.calls.map((c) => c.replace("delete ", ""));
    expect(order[0]).toBe("svc");
    expect(order[order.length - 1]).toBe("net");
    expect(w.state.size).toBe(0);
    expect((await getStack(db, s.env))?.status).toBe("destroyed");
  });
});
