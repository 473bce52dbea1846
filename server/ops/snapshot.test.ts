import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Task,
} from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBInstancesCommand, RDSClient, type DBInstance } from "@aws-sdk/client-rds";
import { openDb, type Db } from "@/server/db";
import { buildSnapshot } from "./snapshot";
import { clearTaskDefinitionCache } from "./task-definitions";

// Snapshot assembly from recorded AWS answers (shapes as the AWS CLI prints them for the seed's stack), with a tiny
// HTTP server standing in for the Prefect API behind the load balancer.

const REGION = "eu-west-2";
const ACCT = "123456789012";
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCT}:cluster/prefect-production`;
const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCT}:targetgroup/prefect-production/6d0ecf831eec9f09`;
const LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCT}:loadbalancer/app/prefect-production/50dc6c495c0c9188`;
const t0 = new Date("2026-11-29T12:00:00Z");

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const rds = mockClient(RDSClient);
const cw = mockClient(CloudWatchClient);
const aas = mockClient(ApplicationAutoScalingClient);

// aws-sdk-client-mock replaces `send`, so the client-layer counter does not run here: count the mocks' calls instead.
function callCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of [ecs, elb, rds, cw, aas])
    for (const c of m.calls()) {
      const name = (c.args[0] as object).constructor.name.replace(/Command$/, "");
      out[name] = (out[name] ?? 0) + 1;
    }
  return out;
}
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
const resetCalls = () => [ecs, elb, rds, cw, aas].forEach((m) => m.resetHistory());

let prefect: http.Server;
let prefectHost = "";
let db: Db;

function task(i: number, service: "prefect-server" | "prefect-worker", status = "RUNNING"): Task {
  return {
    taskArn: `arn:aws:ecs:${REGION}:${ACCT}:task/prefect-production/${service}-${i.toString(16).padStart(8, "0")}`,
    clusterArn: CLUSTER_ARN,
    group: `service:${service}`,
    lastStatus: status,
    desiredStatus: status === "STOPPED" ? "STOPPED" : "RUNNING",
    healthStatus: service === "prefect-server" ? "HEALTHY" : "UNKNOWN",
    availabilityZone: i % 2 ? "eu-west-2a" : "eu-west-2b",
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCT}:task-definition/${service}-production:3`,
    startedAt: new Date(t0.getTime() + i * 1000),
    attachments: [{ type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: `10.0.1.${i % 250}` }] }],
    ...(status === "STOPPED"
      ? {
          stoppedAt: new Date(t0.getTime() + 5000),
          stoppedReason: "Essential container in task exited",
          stopCode: "EssentialContainerExited",
        }
      : {}),
  };
}

const DB_INSTANCE: DBInstance = {
  DBInstanceIdentifier: "prefect-production",
  DBInstanceClass: "db.t3.micro",
  Engine: "postgres",
  EngineVersion: "15.4",
  DBInstanceStatus: "available",
  AllocatedStorage: 20,
  MaxAllocatedStorage: 40,
  MultiAZ: false,
  PreferredBackupWindow: "03:00-04:00",
  BackupRetentionPeriod: 7,
  LatestRestorableTime: t0,
  Endpoint: { Address: "prefect-production.abc.eu-west-2.rds.amazonaws.com", Port: 5432 },
  MasterUsername: "prefect",
  PendingModifiedValues: {},
};

function mockHealthyStack(workerTasks: number) {
  const service = (name: string, desired: number) => ({
    serviceName: name,
    status: "ACTIVE",
    desiredCount: desired,
    runningCount: desired,
    pendingCount: 0,
    taskDefinition: `arn:aws:ecs:${REGION}:${ACCT}:task-definition/${name}-production:3`,
    loadBalancers: name === "prefect-server" ? [{ targetGroupArn: TG_ARN, containerName: "prefect-server", containerPort: 4200 }] : [],
    deployments: [
      {
        id: `ecs-svc/${name}`,
        status: "PRIMARY",
        taskDefinition: `arn:aws:ecs:${REGION}:${ACCT}:task-definition/${name}-production:3`,
        desiredCount: desired,
        runningCount: desired,
        pendingCount: 0,
        failedTasks: 0,
        rolloutState: "COMPLETED" as const,
        rolloutStateReason: "ECS deployment ecs-svc/1 completed.",
        createdAt: t0,
        updatedAt: t0,
      },
    ],
    events: [{ id: "e1", createdAt: t0, message: `(service ${name}) has reached a steady state.` }],
  });
  ecs
    .on(DescribeServicesCommand)
    .resolves({ services: [service("prefect-server", 1), service("prefect-worker", workerTasks)], failures: [] });
  const running = [task(0, "prefect-server"), ...Array.from({ length: workerTasks }, (_, i) => task(i + 1, "prefect-worker"))];
  const runningArns = running.map((t) => t.taskArn!);
  ecs.on(ListTasksCommand, { desiredStatus: "RUNNING" }).callsFake((input: { nextToken?: string }) => {
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const next = start + 100 < runningArns.length ? String(start + 100) : undefined;
    return { taskArns: runningArns.slice(start, start + 100), nextToken: next };
  });
  const stopped = task(900, "prefect-worker", "STOPPED");
  ecs.on(ListTasksCommand, { desiredStatus: "STOPPED" }).resolves({ taskArns: [stopped.taskArn!] });
  const byArn = new Map([...running, stopped].map((t) => [t.taskArn!, t]));
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => {
    if (input.tasks.length > 100) throw new Error("DescribeTasks takes at most 100 tasks");
    return { tasks: input.tasks.map((a) => byArn.get(a)!), failures: [] };
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      family: "prefect-server-production",
      revision: 3,
      cpu: "512",
      memory: "1024",
      containerDefinitions: [{ name: "prefect-server" }],
    },
  });
  elb.on(DescribeLoadBalancersCommand).resolves({
    LoadBalancers: [
      {
        LoadBalancerArn: LB_ARN,
        LoadBalancerName: "prefect-production",
        DNSName: prefectHost,
        Scheme: "internal",
        State: { Code: "active" },
      },
    ],
  });
  elb
    .on(DescribeListenersCommand)
    .resolves({ Listeners: [{ Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: TG_ARN }] }] });
  elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: [{ Target: { Id: "10.0.1.0", Port: 4200 }, HealthCheckPort: "4200", TargetHealth: { State: "healthy" } }],
  });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [DB_INSTANCE] });
  cw.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      {
        AlarmName: "prefect-high-cpu-production",
        StateValue: "OK",
        StateReason: "Threshold Crossed: 2 datapoints were not greater than the threshold (80.0).",
        StateUpdatedTimestamp: t0,
        Namespace: "AWS/ECS",
        MetricName: "CPUUtilization",
        Threshold: 80,
        ComparisonOperator: "GreaterThanThreshold",
        Dimensions: [
          { Name: "ClusterName", Value: "prefect-production" },
          { Name: "ServiceName", Value: "prefect-server" },
        ],
      },
      // Another stack whose name also ends in "-production": not ours.
      {
        AlarmName: "prefect-high-cpu-pre-production",
        StateValue: "ALARM",
        Dimensions: [{ Name: "ClusterName", Value: "prefect-pre-production" }],
      },
    ],
  });
  cw.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: { Id: string }[] }) => ({
    MetricDataResults: input.MetricDataQueries.map((q) => ({
      Id: q.Id,
      StatusCode: "Complete",
      Timestamps: [new Date(t0.getTime() + 60_000), t0],
      Values: q.Id === "rds_free_storage" ? [15 * 1024 ** 3, 16 * 1024 ** 3] : [42, 40],
    })),
  }));
  aas.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: [
      {
        ServiceNamespace: "ecs",
        ResourceId: "service/prefect-production/prefect-worker",
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: 1,
        MaxCapacity: 4,
        RoleARN: "x",
        CreationTime: t0,
      },
    ],
  });
  aas.on(DescribeScalingPoliciesCommand).resolves({
    ScalingPolicies: [
      {
        PolicyName: "prefect-worker-cpu-tracking-production",
        PolicyARN: "arn:x",
        ServiceNamespace: "ecs",
        ResourceId: "service/prefect-production/prefect-worker",
        ScalableDimension: "ecs:service:DesiredCount",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 70,
          PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" },
        },
        CreationTime: t0,
      },
    ],
  });
}

const stack = { env: "production", region: REGION, status: "ready" as const, adopted: false };

beforeAll(async () => {
  db = await openDb({ file: ":memory:" });
  prefect = http.createServer((req, res) => {
    const json = (v: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(v));
    };
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.url === "/api/health") return json(true);
      if (req.url === "/api/ready") return json({ message: "OK" });
      if (req.url === "/api/admin/version") return json("3.4.1");
      if (req.url === "/api/work_pools/filter")
        return json([
          {
            id: "p1",
            name: "production",
            type: "ecs",
            status: "READY",
            is_paused: false,
            concurrency_limit: null,
            created: "x",
            base_job_template: {},
          },
        ]);
      if (req.url === "/api/work_pools/production/workers/filter")
        return json([
          {
            id: "w1",
            name: "ecs-worker-1",
            work_pool_id: "p1",
            last_heartbeat_time: t0.toISOString(),
            heartbeat_interval_seconds: 30,
            status: "ONLINE",
          },
        ]);
      if (req.url === "/api/flow_runs/count") {
        const f = JSON.parse(body) as { flow_runs: { state: { type?: { any_: string[] }; name?: { any_: string[] } } } };
        return json(f.flow_runs.state.name ? 2 : f.flow_runs.state.type?.any_.includes("RUNNING") ? 5 : 1);
      }
      json({ detail: "Not Found" }, 404);
    });
  });
  await new Promise<void>((r) => prefect.listen(0, "127.0.0.1", r));
  prefectHost = `127.0.0.1:${(prefect.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => prefect.close(r));
  await db.close();
});

beforeEach(() => {
  for (const m of [ecs, elb, rds, cw, aas]) m.reset();
  clearTaskDefinitionCache();
});

describe("buildSnapshot", () => {
  it("assembles every panel from one round of batched calls", async () => {
    mockHealthyStack(2);
    const s = await buildSnapshot(db, stack);

    expect(s.services.ok && s.services.data.map((x) => [x.role, x.desired, x.running, x.steady, x.revision, x.cpu])).toEqual([
      ["server", 1, 1, true, 3, "512"],
      ["worker", 2, 2, true, 3, "512"],
    ]);
    if (!s.tasks.ok) throw new Error(s.tasks.error);
    expect(s.tasks.data.filter((t) => t.service === "prefect-worker" && t.lastStatus === "RUNNING")).toHaveLength(2);
    const stopped = s.tasks.data.find((t) => t.lastStatus === "STOPPED");
    expect(stopped).toMatchObject({ stoppedReason: "Essential container in task exited", stopCode: "EssentialContainerExited" });
    expect(s.tasks.data[s.tasks.data.length - 1]).toBe(stopped); // stopped tasks sort last
    expect(s.targets).toEqual({ ok: true, data: [{ id: "10.0.1.0", port: 4200, state: "healthy", reason: null, description: null }] });
    expect(s.loadBalancer.ok && s.loadBalancer.data).toMatchObject({
      apiUrl: `http://${prefectHost}/api`,
      scheme: "internal",
      dimension: "app/prefect-production/50dc6c495c0c9188",
    });
    expect(s.database.ok && s.database.data).toMatchObject({
      status: "available",
      instanceClass: "db.t3.micro",
      allocatedGiB: 20,
      maxAllocatedGiB: 40,
      usedGiB: 5,
      endpoint: "prefect-production.abc.eu-west-2.rds.amazonaws.com:5432",
    });
    expect(JSON.stringify(s)).not.toMatch(/MasterUsername|password/i);
    expect(s.alarms.ok && s.alarms.data.map((a) => [a.name, a.state, a.chart])).toEqual([
      ["prefect-high-cpu-production", "OK", "server_cpu"],
    ]);
    expect(s.scaling).toEqual({
      ok: true,
      data: [
        { service: "prefect-worker", min: 1, max: 4, suspended: false, targetValue: 70, targetMetric: "ECSServiceAverageCPUUtilization" },
      ],
    });
    expect(s.metrics.ok && s.metrics.data.find((m) => m.id === "server_cpu")).toMatchObject({ latest: 42, points: [{ v: 40 }, { v: 42 }] });
    expect(s.prefect).toMatchObject({
      unreachable: null,
      health: { ok: true, data: true },
      ready: { ok: true, data: true },
      version: { ok: true, data: "3.4.1" },
      flowRuns: { ok: true, data: { running: 5, late: 2, failed24h: 1 } },
    });
    expect(s.prefect.pools.ok && s.prefect.pools.data[0]).toMatchObject({
      name: "production",
      type: "ecs",
      status: "READY",
      workers: [{ name: "ecs-worker-1", status: "ONLINE", lastHeartbeat: t0.getTime() }],
    });
  });

  it("shows a database modification pending until RDS applies it", async () => {
    mockHealthyStack(1);
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          ...DB_INSTANCE,
          DBInstanceStatus: "modifying",
          PendingModifiedValues: { DBInstanceClass: "db.t3.small", AllocatedStorage: 40 },
        },
      ],
    });
    const s = await buildSnapshot(db, stack, { prefect: false });
    expect(s.database.ok && s.database.data).toMatchObject({
      status: "modifying",
      instanceClass: "db.t3.micro",
      pendingModifications: { DBInstanceClass: "db.t3.small", AllocatedStorage: "40" },
    });
  });

  it("keeps the other panels when one AWS call is denied or fails", async () => {
    mockHealthyStack(1);
    rds.on(DescribeDBInstancesCommand).rejects(
      Object.assign(new Error("User is not authorized to perform: rds:DescribeDBInstances"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    cw.on(GetMetricDataCommand).rejects(Object.assign(new Error("boom"), { name: "InternalFailure", $metadata: { httpStatusCode: 500 } }));
    const s = await buildSnapshot(db, stack, { prefect: false });
    expect(s.database.ok).toBe(false);
    if (!s.database.ok) expect(s.database.error).toContain("may not call rds:DescribeDBInstances on prefect-production");
    expect(s.metrics.ok).toBe(false);
    expect(s.services.ok && s.services.data).toHaveLength(2);
    expect(s.tasks.ok && s.tasks.data.length).toBe(3);
    expect(s.targets.ok).toBe(true);
    expect(s.alarms.ok).toBe(true);
    expect(s.scaling.ok).toBe(true);
  });

  it("reports a missing service and a failing target-health call per panel", async () => {
    mockHealthyStack(1);
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: "prefect-server", reason: "MISSING" }] });
    elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: TG_ARN, TargetGroupName: "prefect-production" }] });
    elb
      .on(DescribeTargetHealthCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } }));
    const s = await buildSnapshot(db, stack, { prefect: false });
    expect(s.services).toEqual({ ok: true, data: [] });
    expect(s.targets.ok).toBe(false);
    expect(s.database.ok).toBe(true);
  });

  it("says Prefect is unreachable from the console when the internal ALB does not answer", async () => {
    mockHealthyStack(1);
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [
        {
          LoadBalancerArn: LB_ARN,
          LoadBalancerName: "prefect-production",
          DNSName: "127.0.0.1:1",
          Scheme: "internal",
          State: { Code: "active" },
        },
      ],
    });
    const s = await buildSnapshot(db, stack);
    expect(s.prefect.unreachable).toMatch(/internal.*inside the VPC/);
    expect(s.prefect.health.ok).toBe(false);
    expect(s.services.ok).toBe(true);
  });

  it("makes the same number of AWS calls for 1 and 50 worker tasks", async () => {
    const counts: Record<string, number>[] = [];
    for (const n of [1, 50]) {
      for (const m of [ecs, elb, rds, cw, aas]) m.reset();
      mockHealthyStack(n);
      await buildSnapshot(db, stack, { prefect: false }); // warm the task-definition cache
      resetCalls();
      const s = await buildSnapshot(db, stack, { prefect: false });
      expect(s.tasks.ok && s.tasks.data.filter((t) => t.service === "prefect-worker" && t.lastStatus === "RUNNING").length).toBe(n);
      counts.push(callCounts());
      expect(total(callCounts())).toBeGreaterThanOrEqual(10);
      expect(total(callCounts())).toBeLessThanOrEqual(15);
    }
    expect(counts[1]).toEqual(counts[0]);
  });

  it("grows only by pages of 100 tasks (DescribeTasks chunks ≤ 100)", async () => {
    mockHealthyStack(150);
    await buildSnapshot(db, stack, { prefect: false });
    resetCalls();
    const s = await buildSnapshot(db, stack, { prefect: false });
    expect(s.tasks.ok && s.tasks.data.length).toBe(152);
    expect(callCounts().DescribeTasks).toBe(2);
    expect(callCounts().ListTasks).toBe(3);
  });
});
