import { describe, expect, it } from "vitest";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { stackNames } from "@/lib/names";
import { UserError } from "@/server/errors";
import { awsCallCounts, resetAwsCallCounts } from "@/server/aws/client";
import { openDb } from "@/server/db";
import { planApply } from "./plan";
import { MANAGED_BY_AUTO_SCALING } from "./resources/services";
import { createRun, executeRun, getRun } from "./runs";
import { startDestroy } from "./service";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";

// Day 2 through the spec: resize the server, the database and the worker range, change the alarm threshold, and lift
// deletion protection — each an update (the worker count stays what auto scaling chose) (a new task definition revision rolled out by the service, ModifyDBInstance,
// RegisterScalableTarget, PutMetricAlarm), then an empty re-plan. Destroy is refused while protection is on.

const MUTATING = /\.(Create|Update|Put|Delete|Modify|Register|Deregister|Authorize|Revoke|Attach|Detach|Set|Restore|Tag|Untag)/;

describe("editing a stack's spec", () => {
  it("plans and applies updates, and respects deletion protection", async () => {
    fastRunner();
    const db = await openDb({ file: ":memory:" });
    const spec = sandboxSpec({ dbDeletionProtection: true });
    const n = stackNames(spec.env);
    const first = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });
    expect(await executeRun(db, first)).toBe("succeeded");

    // Auto scaling owns the worker count: scaled to 3 (as a scaling activity does), the re-plan shows no change and
    // the re-apply makes no mutating call at all — in particular no UpdateService sending the spec's count of 1.
    // (The sandbox's target tracking may scale it back in by itself afterwards, as AWS would at low CPU.)
    await new ECSClient({ region: spec.region }).send(
      new UpdateServiceCommand({ cluster: n.cluster, service: n.workerService, desiredCount: 3 }),
    );
    const scaledPlan = await planApply(spec);
    expect(scaledPlan.items.filter((i) => i.action !== "noop").map((i) => `${i.key} ${JSON.stringify(i.changes)}`)).toEqual([]);
    expect(scaledPlan.items.find((i) => i.key === "service-worker")?.notes.join(" ")).toContain(MANAGED_BY_AUTO_SCALING);
    resetAwsCallCounts();
    const reapply = await createRun(db, { spec, plan: scaledPlan, kind: "apply", createdBy: "test" });
    expect(await executeRun(db, reapply)).toBe("succeeded");
    expect(Object.keys(awsCallCounts()).filter((op) => MUTATING.test(op))).toEqual([]);

    await expect(startDestroy(db, spec.env, { email: "test" })).rejects.toThrow(UserError);
    await expect(startDestroy(db, spec.env, { email: "test" })).rejects.toThrow(/Deletion protection is on/);

    const edited = {
      ...spec,
      serverMemory: 2048,
      dbInstanceClass: "db.t3.small" as const,
      dbDeletionProtection: false,
      workerMaxCount: 6,
      cpuAlarmThreshold: 70,
    };
    const plan = await planApply(edited);
    const changed = Object.fromEntries(plan.items.filter((i) => i.action !== "noop").map((i) => [i.key, i.changes.map((c) => c.field)]));
    expect(changed).toMatchObject({
      rds: expect.arrayContaining(["instance class", "deletion protection"]),
      "taskdef-server": expect.arrayContaining(["CPU / memory"]),
      "service-server": ["task definition"],
      "worker-scaling": ["maximum"],
      alarms: expect.arrayContaining([`prefect-high-cpu-${spec.env}`]),
    });
    const second = await createRun(db, { spec: edited, plan, kind: "apply", createdBy: "test" });
    const status = await executeRun(db, second);
    expect((await getRun(db, second))?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
    expect(status).toBe("succeeded");

    const rdsNow = (
      await new RDSClient({ region: spec.region }).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: n.dbInstance }))
    ).DBInstances?.[0];
    expect(rdsNow?.DBInstanceClass).toBe("db.t3.small");
    expect(rdsNow?.DeletionProtection).toBe(false);
    const svc = (
      await new ECSClient({ region: spec.region }).send(new DescribeServicesCommand({ cluster: n.cluster, services: [n.serverService] }))
    ).services?.[0];
    expect(svc?.taskDefinition).toMatch(new RegExp(`${n.serverTaskFamily}:2$`));
    const alarm = (
      await new CloudWatchClient({ region: spec.region }).send(new DescribeAlarmsCommand({ AlarmNames: [`prefect-high-cpu-${spec.env}`] }))
    ).MetricAlarms?.[0];
    expect(alarm?.Threshold).toBe(70);
    const replan = await planApply(edited);
    expect(replan.items.filter((i) => i.action !== "noop").map((i) => `${i.key} ${JSON.stringify(i.changes)}`)).toEqual([]);

    const { runId } = await startDestroy(db, spec.env, { email: "test" });
    // startDestroy runs it in the background; wait for it here.
    for (let i = 0; i < 600; i++) {
      const r = await getRun(db, runId);
      if (r && ["succeeded", "failed", "cancelled"].includes(r.status)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const destroyed = await getRun(db, runId);
    expect(destroyed?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
    expect(destroyed?.status).toBe("succeeded");
    await db.close();
  });
});
