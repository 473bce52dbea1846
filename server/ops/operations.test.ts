import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  StopTaskCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { scaleServiceSchema, stopTaskSchema } from "@/lib/schemas/ops";
import { UserError } from "@/server/errors";
import { openDb, type Db } from "@/server/db";
import { upsertStack } from "@/server/stack/registry";
import { checkDesiredCount, scaleBounds } from "@/lib/ops/desired-count";
import { restartService } from "./restart-service";
import { resumeAutoScaling } from "./resume-autoscaling";
import { isFailedRollout, rollbackDeployment } from "./rollback-deployment";
import { scaleService } from "./scale-service";
import { stopStackTask } from "./stop-task";
import { recordSpec } from "@/test/fixtures/stack-spec";

const ecs = mockClient(ECSClient);
const aas = mockClient(ApplicationAutoScalingClient);
const TD = (rev: number) => `arn:aws:ecs:eu-west-2:123456789012:task-definition/prefect-worker-staging:${rev}`;
let db: Db;

beforeAll(async () => {
  db = await openDb({ file: ":memory:" });
  await upsertStack(db, { env: "staging", region: "eu-west-2", spec: recordSpec("staging"), status: "ready", createdBy: "t@example.com" });
});
beforeEach(() => {
  ecs.reset();
  aas.reset();
  ecs
    .on(DescribeServicesCommand)
    .resolves({ services: [{ serviceName: "prefect-worker", status: "ACTIVE", desiredCount: 1, taskDefinition: TD(2), deployments: [] }] });
  ecs
    .on(UpdateServiceCommand)
    .resolves({ service: { serviceName: "prefect-worker", deployments: [{ id: "ecs-svc/9", status: "PRIMARY" }] } });
  aas.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
  aas.on(RegisterScalableTargetCommand).resolves({});
});

async function refused(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe("scale bounds", () => {
  it("uses the auto-scaling range and lets the worker pause at 0", () => {
    const b = scaleBounds("worker", { min: 1, max: 4 });
    expect(b).toMatchObject({ min: 1, max: 4, source: "auto-scaling" });
    expect(checkDesiredCount("worker", 0, b)).toBeNull();
    expect(checkDesiredCount("worker", 4, b)).toBeNull();
    expect(checkDesiredCount("worker", 5, b)).toMatch(/auto-scaling range 1–4 \(or 0 to pause the worker\)/);
  });
  it("never lets the server go to 0 and keeps it at one task (more Prefect servers need Redis)", () => {
    const b = scaleBounds("server", undefined);
    expect(checkDesiredCount("server", 0, b)).toMatch(/at least 1 task/);
    expect(checkDesiredCount("server", 1, b)).toBeNull();
    expect(checkDesiredCount("server", 2, b)).toMatch(/exactly 1 task: more than one Prefect API server needs Redis/);
  });
  it("rejects bad desired counts at the schema", () => {
    for (const bad of [-1, 1.5, 101, "3", null, Number.NaN])
      expect(scaleServiceSchema.safeParse({ env: "staging", service: "worker", desiredCount: bad }).success).toBe(false);
    expect(scaleServiceSchema.safeParse({ env: "staging", service: "database", desiredCount: 1 }).success).toBe(false);
    expect(scaleServiceSchema.safeParse({ env: "Bad Env", service: "worker", desiredCount: 1 }).success).toBe(false);
    expect(stopTaskSchema.safeParse({ env: "staging", taskId: "../../etc" }).success).toBe(false);
  });
});

describe("scaleService", () => {
  it("updates the desired count within bounds", async () => {
    const r = await scaleService(db, { env: "staging", service: "worker", desiredCount: 3 });
    expect(r).toEqual({ service: "prefect-worker", from: 1, to: 3, autoScaling: "none" });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({
      cluster: "prefect-staging",
      service: "prefect-worker",
      desiredCount: 3,
    });
  });
  it("refuses a count outside the auto-scaling range without any mutation", async () => {
    aas
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [{ ResourceId: "service/prefect-staging/prefect-worker", MinCapacity: 1, MaxCapacity: 4 } as never] });
    const err = await refused(scaleService(db, { env: "staging", service: "worker", desiredCount: 9 }));
    expect(err.fieldErrors?.desiredCount?.[0]).toMatch(/1–4/);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
  it("suspends auto scaling so a manual count (or a pause at 0) holds, and resumes it on request", async () => {
    aas
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [{ ResourceId: "service/prefect-staging/prefect-worker", MinCapacity: 1, MaxCapacity: 4 } as never] });
    expect((await scaleService(db, { env: "staging", service: "worker", desiredCount: 0 })).autoScaling).toBe("suspended");
    expect(aas.commandCalls(RegisterScalableTargetCommand)[0]!.args[0].input.SuspendedState).toEqual({
      DynamicScalingInSuspended: true,
      DynamicScalingOutSuspended: true,
      ScheduledScalingSuspended: true,
    });
    aas.on(DescribeScalableTargetsCommand).resolves({
      ScalableTargets: [
        {
          ResourceId: "service/prefect-staging/prefect-worker",
          MinCapacity: 1,
          MaxCapacity: 4,
          SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true },
        } as never,
      ],
    });
    expect((await scaleService(db, { env: "staging", service: "worker", desiredCount: 2 })).autoScaling).toBe("unchanged");
    expect(aas.commandCalls(RegisterScalableTargetCommand)).toHaveLength(1);
    await resumeAutoScaling(db, { env: "staging", service: "worker" });
    expect(aas.commandCalls(RegisterScalableTargetCommand)[1]!.args[0].input.SuspendedState?.DynamicScalingInSuspended).toBe(false);
  });
  it("refuses an unknown stack, a missing service and a stack with a run in progress", async () => {
    await refused(scaleService(db, { env: "nope", service: "worker", desiredCount: 1 }));
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: "MISSING" }] });
    expect((await refused(scaleService(db, { env: "staging", service: "worker", desiredCount: 1 }))).message).toMatch(/does not exist/);
    await db.run(
      "INSERT INTO runs (id, env, kind, status, plan, spec, created_by, created_at) VALUES ('r1', 'staging', 'apply', 'running', '[]', '{}', 'x', 1)",
    );
    try {
      expect((await refused(restartService(db, { env: "staging", service: "server" }))).message).toMatch(/apply run is running/);
    } finally {
      await db.run("DELETE FROM runs WHERE id = 'r1'");
    }
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
  it("a queued run (stored, not yet picked up) blocks scale, restart, rollback, stop task and resume too", async () => {
    // createRun stores runs as 'queued'; they hold the stack until they finish.
    await db.run(
      "INSERT INTO runs (id, env, kind, status, plan, spec, created_by, created_at) VALUES ('r2', 'staging', 'destroy', 'queued', '[]', '{}', 'x', 1)",
    );
    try {
      const attempts = [
        scaleService(db, { env: "staging", service: "worker", desiredCount: 2 }),
        restartService(db, { env: "staging", service: "worker" }),
        rollbackDeployment(db, { env: "staging", service: "worker" }),
        stopStackTask(db, { env: "staging", taskId: "0123456789abcdef0123456789abcdef" }, "t@example.com"),
        resumeAutoScaling(db, { env: "staging", service: "worker" }),
      ];
      for (const p of attempts) expect((await refused(p)).message).toMatch(/A destroy run is queued on staging/);
    } finally {
      await db.run("DELETE FROM runs WHERE id = 'r2'");
    }
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
    expect(aas.commandCalls(RegisterScalableTargetCommand)).toHaveLength(0);
  });
});

describe("restart, stop task, rollback", () => {
  it("restarts with a forced new deployment", async () => {
    expect(await restartService(db, { env: "staging", service: "worker" })).toEqual({
      service: "prefect-worker",
      deploymentId: "ecs-svc/9",
    });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input.forceNewDeployment).toBe(true);
  });
  it("stops only a running task of the stack's services", async () => {
    ecs
      .on(DescribeTasksCommand)
      .resolves({ tasks: [{ taskArn: "arn:aws:ecs:eu-west-2:1:task/prefect-staging/abc", group: "family:other", lastStatus: "RUNNING" }] });
    await refused(stopStackTask(db, { env: "staging", taskId: "abc" }, "op@example.com"));
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: "arn:aws:ecs:eu-west-2:1:task/prefect-staging/abc",
          group: "service:prefect-worker",
          lastStatus: "RUNNING",
          desiredStatus: "RUNNING",
        },
      ],
    });
    ecs.on(StopTaskCommand).resolves({});
    expect(await stopStackTask(db, { env: "staging", taskId: "abc" }, "op@example.com")).toEqual({
      taskId: "abc",
      service: "prefect-worker",
    });
    expect(ecs.commandCalls(StopTaskCommand)[0]!.args[0].input.reason).toMatch(/op@example.com/);
  });
  it("rolls a failed deployment back to the last completed one", async () => {
    expect(isFailedRollout({ rolloutState: "COMPLETED" })).toBe(false);
    expect(isFailedRollout({ rolloutState: "IN_PROGRESS", failedTasks: 2 }, { running: 0, desired: 1 })).toBe(true);
    expect(isFailedRollout({ rolloutState: "COMPLETED", failedTasks: 9 }, { running: 0, desired: 1 })).toBe(true);
    expect(isFailedRollout({ rolloutState: "COMPLETED", failedTasks: 9 }, { running: 1, desired: 1 })).toBe(false);
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: "prefect-worker",
          desiredCount: 1,
          taskDefinition: TD(3),
          deployments: [
            { id: "d3", status: "PRIMARY", taskDefinition: TD(3), rolloutState: "FAILED", createdAt: new Date(3) },
            { id: "d2", status: "ACTIVE", taskDefinition: TD(2), rolloutState: "COMPLETED", createdAt: new Date(2) },
          ],
        },
      ],
    });
    expect(await rollbackDeployment(db, { env: "staging", service: "worker" })).toEqual({
      service: "prefect-worker",
      from: "prefect-worker-staging:3",
      to: "prefect-worker-staging:2",
    });
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input.taskDefinition).toBe(TD(2));
  });
  it("falls back to the previous revision, and refuses when nothing failed", async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: "prefect-worker",
          taskDefinition: TD(5),
          deployments: [{ id: "d5", status: "PRIMARY", taskDefinition: TD(5), rolloutState: "FAILED" }],
        },
      ],
    });
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD(4) } });
    expect((await rollbackDeployment(db, { env: "staging", service: "worker" })).to).toBe("prefect-worker-staging:4");
    ecs.reset();
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: "prefect-worker",
          deployments: [{ id: "d5", status: "PRIMARY", taskDefinition: TD(5), rolloutState: "COMPLETED" }],
        },
      ],
    });
    expect((await refused(rollbackDeployment(db, { env: "staging", service: "worker" }))).message).toMatch(/nothing to roll back/);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});
