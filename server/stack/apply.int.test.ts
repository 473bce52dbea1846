import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from "@aws-sdk/client-rds";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { stackNames } from "@/lib/names";
import { stackSecretNames } from "@/lib/stack-names";
import { awsCallCounts, resetAwsCallCounts } from "@/server/aws/client";
import type { Db } from "@/server/db";
import { getStack } from "@/server/stack/registry";
import { sandboxAdmin } from "@/test/fixtures/sandbox";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { fastRunner, freshStore, sandboxSpec } from "@/test/stack/sandbox-spec";

const MUTATING = /\.(Create|Update|Put|Delete|Modify|Register|Deregister|Authorize|Revoke|Attach|Detach|Set|Restore|Tag|Untag)/;

describe("apply a full stack on the sandbox", () => {
  const spec = sandboxSpec();
  const names = stackNames(spec.env);
  const region = spec.region;
  let db: Db;
  const cfg = { region };
  const ec2 = new EC2Client(cfg);
  const ecs = new ECSClient(cfg);
  const rds = new RDSClient(cfg);

  beforeAll(async () => {
    fastRunner();
    db = await freshStore();
  });
  afterAll(async () => {
    await db.close();
  });

  // Every log line the console writes while applying, to check that no secret reaches the log.
  const logLines: string[] = [];

  it("plans every resource as a create, then applies it to ready", async () => {
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logLines.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      await applyAll();
    } finally {
      process.stderr.write = write;
    }
  });

  async function applyAll() {
    const plan = await planApply(spec);
    expect(plan.items.length).toBeGreaterThanOrEqual(20);
    expect(plan.items.every((i) => i.action === "create")).toBe(true);
    const id = await createRun(db, { spec, plan, kind: "apply", createdBy: "test" });
    const status = await executeRun(db, id);
    const run = await getRun(db, id);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.status} ${s.error ?? ""}`)).toEqual([]);
    expect(status).toBe("succeeded");
    expect(run?.apiUrl).toMatch(/^http:\/\/.+\/api$/);
    expect((await getStack(db, spec.env))?.status).toBe("ready");
    // The seed's load balancer is internal and the console sits outside the VPC: the work pools were created from
    // inside it by a one-off task (the run says so); the Prefect server has them (asked from inside the VPC).
    expect(run?.steps.find((s) => s.key === "work-pools")?.detail).toMatch(/^created from inside the VPC by one-off task \w+/);
    const pools = (await sandboxAdmin("/prefect/work-pools", "POST", { cluster: names.cluster })) as { name: string; type: string }[];
    expect(pools.map((p) => `${p.name}:${p.type}`).sort()).toEqual(["default:process", "production:ecs"]);
  }

  it("created everything with the seed's settings", async () => {
    const sgs =
      (
        await ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [
              { Name: "vpc-id", Values: [spec.vpcId] },
              { Name: "group-name", Values: [names.albSecurityGroup, names.tasksSecurityGroup, names.dbSecurityGroup] },
            ],
          }),
        )
      ).SecurityGroups ?? [];
    const sg = (n: string) => sgs.find((g) => g.GroupName === n)!;
    const ingress = (n: string) =>
      (sg(n).IpPermissions ?? []).map((p) => ({
        port: p.FromPort,
        from: [...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.UserIdGroupPairs ?? []).map((u) => u.GroupId)],
      }));
    // 4200 from the ALB, and from the tasks' own group: the worker reaches the server through Cloud Map.
    expect(ingress(names.tasksSecurityGroup).map((r) => ({ ...r, from: [...r.from].sort() }))).toEqual([
      { port: 4200, from: [sg(names.albSecurityGroup).GroupId, sg(names.tasksSecurityGroup).GroupId].sort() },
    ]);
    expect(ingress(names.dbSecurityGroup)).toEqual([{ port: 5432, from: [sg(names.tasksSecurityGroup).GroupId] }]);
    expect(
      ingress(names.albSecurityGroup)
        .map((r) => r.port)
        .sort(),
    ).toEqual([443, 80]);

    const db1 = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: names.dbInstance }))).DBInstances?.[0];
    expect(db1?.Engine).toBe("postgres");
    expect(db1?.EngineVersion?.startsWith("15")).toBe(true);
    expect(db1?.StorageType).toBe("gp3");
    expect(db1?.StorageEncrypted).toBe(true);
    expect(db1?.BackupRetentionPeriod).toBe(7);
    expect(db1?.DBSubnetGroup?.DBSubnetGroupName).toBe(names.dbSubnetGroup);

    const lg = (
      await new CloudWatchLogsClient(cfg).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: names.logGroup }))
    ).logGroups?.find((g) => g.logGroupName === names.logGroup);
    expect(lg?.retentionInDays).toBe(30);

    const tg = (await new ElasticLoadBalancingV2Client(cfg).send(new DescribeTargetGroupsCommand({ Names: [names.targetGroup] })))
      .TargetGroups?.[0];
    expect(tg?.HealthCheckPath).toBe("/api/health");
    expect(tg?.Port).toBe(4200);
    expect(tg?.TargetType).toBe("ip");

    const alarms = (await new CloudWatchClient(cfg).send(new DescribeAlarmsCommand({ AlarmNamePrefix: "prefect-" }))).MetricAlarms ?? [];
    expect(alarms.map((a) => a.AlarmName)).toContain(`prefect-high-cpu-${spec.env}`);

    const svcs =
      (await ecs.send(new DescribeServicesCommand({ cluster: names.cluster, services: [names.serverService, names.workerService] })))
        .services ?? [];
    expect(svcs.map((s) => s.status)).toEqual(["ACTIVE", "ACTIVE"]);
    expect(svcs[0]?.loadBalancers?.[0]?.containerPort).toBe(4200);
  });

  it("keeps the DB password out of every task definition and every log line", async () => {
    const sm = new SecretsManagerClient(cfg);
    const password = (await sm.send(new GetSecretValueCommand({ SecretId: stackSecretNames(spec.env).dbPassword }))).SecretString ?? "";
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => l.includes(password))).toEqual([]);
    for (const family of [names.serverTaskFamily, names.workerTaskFamily]) {
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }))).taskDefinition;
      expect(JSON.stringify(td)).not.toContain(password);
      const c = td?.containerDefinitions?.[0];
      expect(c?.memoryReservation).toBeGreaterThan(0);
      if (family === names.serverTaskFamily) {
        // The full ARN: ECS reads a bare name as an SSM parameter name.
        const dbUrlArn = (await sm.send(new GetSecretValueCommand({ SecretId: stackSecretNames(spec.env).dbUrl }))).ARN;
        expect(dbUrlArn).toMatch(/^arn:aws:secretsmanager:/);
        expect(c?.secrets?.find((s) => s.name === "PREFECT_API_DATABASE_CONNECTION_URL")?.valueFrom).toBe(dbUrlArn);
        expect(c?.environment?.some((e) => e.name === "PREFECT_API_DATABASE_CONNECTION_URL")).toBe(false);
        expect(c?.environment?.find((e) => e.name === "PREFECT_UI_API_URL")?.value).toMatch(/^http:\/\/.+\/api$/);
      }
    }
  });

  it("re-plans to no changes, and re-applying makes no mutating AWS call", async () => {
    const plan = await planApply(spec);
    expect(plan.items.filter((i) => i.action !== "noop").map((i) => `${i.key}: ${i.action} ${JSON.stringify(i.changes)}`)).toEqual([]);
    resetAwsCallCounts();
    const id = await createRun(db, { spec, plan, kind: "apply", createdBy: "test" });
    expect(await executeRun(db, id)).toBe("succeeded");
    const mutating = Object.keys(awsCallCounts()).filter((op) => MUTATING.test(op));
    expect(mutating).toEqual([]);
  });

  it("destroys everything but the final snapshot", async () => {
    const plan = await planDestroy(spec);
    expect(plan.blockers).toEqual([]);
    const id = await createRun(db, { spec, plan, kind: "destroy", createdBy: "test" });
    const status = await executeRun(db, id);
    const run = await getRun(db, id);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.status} ${s.error ?? ""}`)).toEqual([]);
    expect(status).toBe("succeeded");
    const after = await planApply(spec);
    expect(after.items.filter((i) => i.action !== "create").map((i) => i.key)).toEqual([]);
    const snaps = (await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: names.dbInstance }))).DBSnapshots ?? [];
    expect(snaps.map((s) => s.DBSnapshotIdentifier)).toContain(`prefect-${spec.env}-final`);
  });
});
