import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpsStack } from "@/test/fixtures/ops-stack";
import { sandboxAdmin, sandboxClients } from "@/test/fixtures/sandbox";
import type { MinimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";
import { awsCallCounts, resetAwsCallCounts, totalAwsCalls } from "@/server/aws/client";
import { openDb, type Db } from "@/server/db";
import { recordAudit } from "@/server/audit/audit";
import { restartService } from "./restart-service";
import { rollbackDeployment } from "./rollback-deployment";
import { needsRollback } from "@/lib/ops/rollout-state";
import { stopStackTask } from "./stop-task";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { stackTimeline } from "./timeline";
import { scaleService } from "./scale-service";
import { buildSnapshot, stackSnapshot } from "./snapshot";
import type { StackSnapshot } from "@/lib/ops/types";

// The operations layer against the sandbox (moto + simulator + ALB/Prefect stand-in): a stack made with the SDK,
// its snapshot, the AWS call count for 1 vs 50 tasks, and scale/restart converging.

let db: Db;
let stack: MinimalStack;

const snap = async () => (await stackSnapshot(db, stack.env))!;
const svc = (s: StackSnapshot, role: "server" | "worker") => (s.services.ok ? s.services.data.find((x) => x.role === role) : undefined);

async function steadyAt(role: "server" | "worker", count: number): Promise<StackSnapshot> {
  return until(
    `${role} steady at ${count}`,
    async () => {
      const s = await snap();
      const x = svc(s, role);
      return x && x.steady && x.desired === count && x.running === count ? s : undefined;
    },
    90_000,
    300,
  );
}

beforeAll(async () => {
  db = await openDb({ file: ":memory:" });
  // Internet-facing: the console (outside the VPC, as in the sandbox) reaches the Prefect API only through a public ALB.
  stack = await createOpsStack(db, { scheme: "internet-facing" });
});
afterAll(async () => {
  await db.close();
});

describe("operations on a sandbox stack", () => {
  it("builds a correct snapshot of a healthy stack", async () => {
    const s = await until(
      "healthy stack",
      async () => {
        const x = await snap();
        const healthy = x.targets.ok && x.targets.data.some((t) => t.state === "healthy");
        const okAlarm = x.alarms.ok && x.alarms.data.some((a) => a.state === "OK");
        const dbReady = x.database.ok && x.database.data?.status === "available";
        return svc(x, "server")?.steady && svc(x, "worker")?.steady && healthy && okAlarm && dbReady && x.prefect.health.ok ? x : undefined;
      },
      90_000,
      500,
    );
    expect(svc(s, "server")).toMatchObject({ name: "prefect-server", desired: 1, running: 1, revision: 1, cpu: "512" });
    expect(
      s.tasks.ok &&
        s.tasks.data
          .filter((t) => t.lastStatus === "RUNNING")
          .map((t) => t.service)
          .sort(),
    ).toEqual(["prefect-server", "prefect-worker"]);
    expect(s.tasks.ok && s.tasks.data.every((t) => t.ip && t.az)).toBe(true);
    expect(s.loadBalancer.ok && s.loadBalancer.data).toMatchObject({
      name: `prefect-${stack.env}`,
      apiUrl: `http://${stack.dnsName}/api`,
      scheme: "internet-facing",
    });
    expect(s.database.ok && s.database.data).toMatchObject({
      id: `prefect-${stack.env}`,
      instanceClass: "db.t3.micro",
      allocatedGiB: 20,
      status: "available",
    });
    expect(s.alarms.ok && s.alarms.data.map((a) => a.name)).toEqual([`prefect-high-cpu-${stack.env}`]);
    expect(s.prefect).toMatchObject({ unreachable: null, health: { ok: true, data: true }, ready: { ok: true, data: true } });
    expect(s.prefect.version.ok && s.prefect.version.data).toMatch(/^3\./);
    expect(s.metrics.ok).toBe(true);
    expect(JSON.stringify(s)).not.toMatch(/MasterUserPassword|"password"/i);
  });

  it("makes the same number of AWS calls for 1 and for 50 tasks", async () => {
    await steadyAt("worker", 1);
    const record = await buildSnapshot(
      db,
      { env: stack.env, region: stack.region, status: "ready", adopted: false },
      { prefect: false },
    ).then(() => {
      resetAwsCallCounts();
      return buildSnapshot(db, { env: stack.env, region: stack.region, status: "ready", adopted: false }, { prefect: false });
    });
    const one = awsCallCounts();
    const oneTotal = totalAwsCalls();
    expect(record.tasks.ok && record.tasks.data.filter((t) => t.lastStatus === "RUNNING").length).toBe(2);

    await scaleService(db, { env: stack.env, service: "worker", desiredCount: 50 });
    const at50 = await steadyAt("worker", 50);
    expect(at50.tasks.ok && at50.tasks.data.filter((t) => t.service === "prefect-worker" && t.lastStatus === "RUNNING").length).toBe(50);
    resetAwsCallCounts();
    await buildSnapshot(db, { env: stack.env, region: stack.region, status: "ready", adopted: false }, { prefect: false });
    const fifty = awsCallCounts();
    // STOPPED tasks may appear after scaling; they are one page either way, so the per-operation counts match.
    expect(fifty).toEqual(one);
    expect(oneTotal).toBeLessThanOrEqual(15);
    await scaleService(db, { env: stack.env, service: "worker", desiredCount: 1 });
    await steadyAt("worker", 1);
  });

  it("scales the worker 1 → 3 → 0 and back, and converges each time", async () => {
    await scaleService(db, { env: stack.env, service: "worker", desiredCount: 3 });
    const s3 = await steadyAt("worker", 3);
    expect(s3.tasks.ok && s3.tasks.data.filter((t) => t.service === "prefect-worker" && t.lastStatus === "RUNNING")).toHaveLength(3);
    await scaleService(db, { env: stack.env, service: "worker", desiredCount: 0 });
    const s0 = await steadyAt("worker", 0);
    expect(s0.tasks.ok && s0.tasks.data.filter((t) => t.service === "prefect-worker" && t.lastStatus === "RUNNING")).toHaveLength(0);
    await scaleService(db, { env: stack.env, service: "worker", desiredCount: 1 });
    await steadyAt("worker", 1);
  });

  it("restarts the server with a new deployment that completes, keeping a healthy target", async () => {
    const before = svc(await snap(), "server")!;
    const r = await restartService(db, { env: stack.env, service: "server" });
    expect(r.deploymentId).toBeTruthy();
    expect(r.deploymentId).not.toBe(before.deployments[0]?.id);
    const done = await until(
      "new deployment completed",
      async () => {
        const s = await snap();
        const x = svc(s, "server");
        return x?.steady && x.deployments[0]?.id === r.deploymentId && x.deployments[0]?.rolloutState === "COMPLETED" ? s : undefined;
      },
      90_000,
      300,
    );
    expect(done.targets.ok && done.targets.data.filter((t) => t.state === "healthy").length).toBeGreaterThanOrEqual(1);
  });

  it("shows the CPU alarm firing when the sandbox pushes the server's CPU high", async () => {
    await sandboxAdmin("/cpu", "POST", { cluster: stack.cluster, service: "prefect-server", percent: 97 });
    try {
      const s = await until(
        "ALARM",
        async () => {
          const x = await snap();
          return x.alarms.ok && x.alarms.data[0]?.state === "ALARM" ? x : undefined;
        },
        90_000,
        500,
      );
      expect(s.alarms.ok && s.alarms.data[0]).toMatchObject({ chart: "server_cpu", reason: expect.stringMatching(/Threshold Crossed/) });
    } finally {
      await sandboxAdmin("/cpu", "POST", { cluster: stack.cluster, service: "prefect-server", percent: null });
    }
  });

  it("stops one task and the service replaces it", async () => {
    const before = await steadyAt("worker", 1);
    const victim = before.tasks.ok
      ? before.tasks.data.find((t) => t.service === "prefect-worker" && t.lastStatus === "RUNNING")
      : undefined;
    expect(victim).toBeDefined();
    await stopStackTask(db, { env: stack.env, taskId: victim!.id }, "op@example.com");
    const after = await until(
      "a replacement task",
      async () => {
        const s = await snap();
        const running = s.tasks.ok ? s.tasks.data.filter((t) => t.service === "prefect-worker" && t.lastStatus === "RUNNING") : [];
        return running.length === 1 && running[0]!.id !== victim!.id && svc(s, "worker")?.steady ? s : undefined;
      },
      90_000,
      300,
    );
    const stopped = after.tasks.ok ? after.tasks.data.find((t) => t.id === victim!.id) : undefined;
    if (stopped) expect(stopped.stoppedReason ?? "").toMatch(/op@example.com|stopped/i);
  });

  it("rolls a failed deployment back to the last completed task definition", async () => {
    const n = { cluster: stack.cluster, service: "prefect-worker" };
    const { ecs } = sandboxClients();
    const current = (await ecs.send(new DescribeServicesCommand({ cluster: n.cluster, services: [n.service] }))).services![0]!;
    const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: current.taskDefinition! }))).taskDefinition!;
    const bad = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: td.family!,
        requiresCompatibilities: td.requiresCompatibilities,
        networkMode: td.networkMode,
        cpu: td.cpu,
        memory: td.memory,
        containerDefinitions: td.containerDefinitions!.map((c) => ({ ...c, command: ["prefect", "worker", "start", "--fail"] })),
      }),
    );
    await ecs.send(
      new UpdateServiceCommand({
        ...n,
        taskDefinition: bad.taskDefinition!.taskDefinitionArn,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: false },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    );
    // The sandbox (like ECS for tasks that run briefly) may mark the deployment COMPLETED or FAILED: either way its
    // tasks keep failing below strength, which is what the console treats as a failed rollout.
    await until(
      "the new deployment's tasks fail",
      async () => {
        const x = svc(await snap(), "worker");
        const primary = x?.deployments.find((d) => d.status === "PRIMARY");
        return x && primary?.taskDefinition.endsWith(`:${bad.taskDefinition!.revision}`) && needsRollback(primary, x);
      },
      60_000,
      300,
    );
    const r = await rollbackDeployment(db, { env: stack.env, service: "worker" });
    expect(r.to).toBe(current.taskDefinition!.split("/").pop());
    await until(
      "back on the completed revision",
      async () => {
        const x = svc(await snap(), "worker");
        return x?.steady && x.taskDefinition === r.to;
      },
      120_000,
      500,
    );
  });

  it("reads the Prefect basic-auth string from the server's task-definition secret and never ships it", async () => {
    const authString = `admin:${Math.random().toString(36).slice(2)}pw`;
    const secured = await createOpsStack(db, { authString, workers: 1, scheme: "internet-facing" });
    const s = await until(
      "secured stack answers",
      async () => {
        const x = await stackSnapshot(db, secured.env);
        return x?.prefect.health.ok && x.prefect.pools.ok ? x : undefined;
      },
      90_000,
      500,
    );
    expect(s.prefect.version.ok).toBe(true);
    expect(JSON.stringify(s)).not.toContain(authString.split(":")[1]!);
  });

  it("merges service events, deployments, alarm changes and console actions into one timeline", async () => {
    await recordAudit(db, {
      actor: { email: "op@example.com" },
      action: "service.restart",
      target: `stack:${stack.env}/prefect-server`,
      outcome: "ok",
    });
    const t = await stackTimeline(db, { env: stack.env, region: stack.region });
    expect(t.errors).toEqual([]);
    const kinds = new Set(t.entries.map((e) => e.kind));
    for (const k of ["service-event", "deployment", "alarm", "audit"]) expect(kinds.has(k as never)).toBe(true);
    expect(t.entries.some((e) => e.kind === "alarm" && /to ALARM/.test(e.title))).toBe(true);
    expect(t.entries.map((e) => e.at)).toEqual([...t.entries.map((e) => e.at)].sort((a, b) => b - a));
  });
});
