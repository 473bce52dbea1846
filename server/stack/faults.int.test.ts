import { afterAll, describe, expect, it } from "vitest";
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient, ListServicesCommand, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from "@aws-sdk/client-rds";
import { openDb } from "@/server/db";
import { stackNames } from "@/lib/names";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { sandboxEnv } from "@/test/fixtures/sandbox";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";

// Provisioning and destroy converge while the AWS endpoint throttles 20 % of calls, answers 5 % with 5xx and adds
// latency; afterwards the stack's resources are exactly the expected set (no duplicates), then only the snapshot.

async function faults(body: unknown) {
  const r = await fetch(`${sandboxEnv("SANDBOX_ADMIN_URL")}/faults`, {
    method: body === null ? "DELETE" : "POST",
    body: body === null ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`faults: ${r.status} ${await r.text()}`);
}

describe("apply and destroy under injected faults", () => {
  afterAll(async () => {
    await faults(null);
  });

  it("converge to exactly the expected resources, then to only the final snapshot", async () => {
    fastRunner();
    const db = await openDb({ file: ":memory:" });
    const spec = sandboxSpec();
    const n = stackNames(spec.env);
    const cfg = { region: spec.region, maxAttempts: 10 };
    const plan = await planApply(spec);
    await faults({ throttle: 0.2, error5xx: 0.05, latencyMs: 5, jitterMs: 20, seed: 42 });

    const id = await createRun(db, { spec, plan, kind: "apply", createdBy: "test" });
    const status = await executeRun(db, id);
    const run = await getRun(db, id);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
    expect(status).toBe("succeeded");
    await faults(null);

    const ec2 = new EC2Client(cfg);
    const groups =
      (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "tag:prefect-console:stack", Values: [spec.env] }] })))
        .SecurityGroups ?? [];
    expect(groups.map((g) => g.GroupName).sort()).toEqual([n.albSecurityGroup, n.tasksSecurityGroup, n.dbSecurityGroup].sort());
    const ecs = new ECSClient(cfg);
    expect(((await ecs.send(new ListServicesCommand({ cluster: n.cluster }))).serviceArns ?? []).length).toBe(2);
    expect(
      (
        (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: n.serverTaskFamily, status: "ACTIVE" }))).taskDefinitionArns ?? []
      ).filter((a) => a.includes(`/${n.serverTaskFamily}:`)),
    ).toHaveLength(1);
    const replan = await planApply(spec);
    expect(replan.items.filter((i) => i.action !== "noop").map((i) => i.key)).toEqual([]);

    await faults({ throttle: 0.2, error5xx: 0.05, latencyMs: 5, jitterMs: 20, seed: 7 });
    const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    const dStatus = await executeRun(db, d);
    const drun = await getRun(db, d);
    expect(drun?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
    expect(dStatus).toBe("succeeded");
    await faults(null);

    const after = await planApply(spec);
    expect(after.items.filter((i) => i.action !== "create").map((i) => i.key)).toEqual([]);
    const rds = new RDSClient(cfg);
    expect(
      ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).filter((x) => x.DBInstanceIdentifier === n.dbInstance),
    ).toEqual([]);
    const snaps = (await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: n.dbInstance }))).DBSnapshots ?? [];
    expect(snaps.map((s) => s.DBSnapshotIdentifier)).toEqual([`prefect-${spec.env}-final`]);
    await db.close();
  });
});
