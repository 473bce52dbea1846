import { afterEach, describe, expect, it } from "vitest";
import { FilterLogEventsCommand, DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { minimalStack, cleanupStacks } from "@/test/fixtures/stack";
import { sandboxClients } from "@/test/fixtures/sandbox";
import { until } from "@/test/until";

describe("ECS service physics", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();

  it("converges desired 2: running tasks, healthy targets, logs in the task streams, metrics", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-server", s.serverTaskDef, 2, { lb: true });

    const svc = await until("2 running", async () => {
      const r = await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }));
      const x = r.services?.[0];
      return x?.runningCount === 2 && x.pendingCount === 0 ? x : undefined;
    });
    expect(svc.deployments?.[0]).toMatchObject({ status: "PRIMARY", runningCount: 2, desiredCount: 2 });
    expect(svc.events?.some((e) => /has started 2 tasks/.test(e.message ?? ""))).toBe(true);

    const arns = (await c.ecs.send(new ListTasksCommand({ cluster: s.cluster }))).taskArns ?? [];
    const tasks = (await c.ecs.send(new DescribeTasksCommand({ cluster: s.cluster, tasks: arns }))).tasks ?? [];
    const mine = tasks.filter((t) => t.group === "service:prefect-server");
    expect(mine).toHaveLength(2);
    for (const t of mine) {
      expect(t.lastStatus).toBe("RUNNING");
      expect(t.desiredStatus).toBe("RUNNING");
      expect(t.startedAt).toBeInstanceOf(Date);
      expect(t.createdAt).toBeInstanceOf(Date);
      expect(["us-east-1a", "us-east-1b"]).toContain(t.availabilityZone);
      expect(t.cpu).toBe("512");
      const ip = t.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value ?? "";
      expect(ip).toMatch(/^10\.0\.1[01]\.\d+$/); // inside the private subnets
    }

    const health = await until("2 healthy targets", async () => {
      const r = await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: s.targetGroupArn }));
      const d = r.TargetHealthDescriptions ?? [];
      return d.length === 2 && d.every((x) => x.TargetHealth?.State === "healthy") ? d : undefined;
    });
    const taskIps = mine.map((t) => t.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value).sort();
    expect(health.map((h) => h.Target?.Id).sort()).toEqual(taskIps);

    const ids = mine.map((t) => t.taskArn?.split("/").pop() ?? "");
    await until("log streams of both tasks", async () => {
      const r = await c.logs.send(new DescribeLogStreamsCommand({ logGroupName: s.logGroup }));
      const names = (r.logStreams ?? []).map((x) => x.logStreamName);
      return ids.every((id) => names.includes(`server/prefect-server/${id}`)) || undefined;
    });
    const events = await until("server banner and an access-log line", async () => {
      const r = await c.logs.send(
        new FilterLogEventsCommand({ logGroupName: s.logGroup, logStreamNames: [`server/prefect-server/${ids[0]}`], interleaved: true }),
      );
      const e = r.events ?? [];
      return e.some((x) => /"GET \/api\/health HTTP\/1.1" 200 OK/.test(x.message ?? "")) ? e : undefined;
    });
    expect(events.some((e) => e.message?.includes("Uvicorn running on"))).toBe(true);
    expect(events.every((e, i) => i === 0 || (e.timestamp ?? 0) >= (events[i - 1]?.timestamp ?? 0))).toBe(true);

    const metrics = await until("CPU metrics", async () => {
      const r = await c.cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - 120_000),
          EndTime: new Date(Date.now() + 1000),
          MetricDataQueries: [
            {
              Id: "cpu",
              MetricStat: {
                Metric: {
                  Namespace: "AWS/ECS",
                  MetricName: "CPUUtilization",
                  Dimensions: [
                    { Name: "ClusterName", Value: s.cluster },
                    { Name: "ServiceName", Value: "prefect-server" },
                  ],
                },
                Period: 60,
                Stat: "Average",
              },
            },
          ],
        }),
      );
      const v = r.MetricDataResults?.[0]?.Values ?? [];
      return v.length > 0 ? v : undefined;
    });
    expect(metrics[0]).toBeGreaterThan(0);
    expect(metrics[0]).toBeLessThan(100);
  });

  it("scales to 0: tasks stop and targets drain", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-server", s.serverTaskDef, 2, { lb: true });
    await until("2 healthy", async () => {
      const d = (await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: s.targetGroupArn }))).TargetHealthDescriptions ?? [];
      return d.length === 2 && d.every((x) => x.TargetHealth?.State === "healthy");
    });
    await c.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: "prefect-server", desiredCount: 0 }));
    const draining = await until("draining targets", async () => {
      const d = (await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: s.targetGroupArn }))).TargetHealthDescriptions ?? [];
      return d.some((x) => x.TargetHealth?.State === "draining") ? d : undefined;
    });
    expect(draining.find((x) => x.TargetHealth?.State === "draining")?.TargetHealth?.Reason).toBe("Target.DeregistrationInProgress");
    await until("no targets, no running tasks", async () => {
      const d = (await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: s.targetGroupArn }))).TargetHealthDescriptions ?? [];
      const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0];
      const listed = (await c.ecs.send(new ListTasksCommand({ cluster: s.cluster }))).taskArns ?? [];
      return d.length === 0 && svc?.runningCount === 0 && listed.length === 0;
    });
    const stopped = (await c.ecs.send(new ListTasksCommand({ cluster: s.cluster, desiredStatus: "STOPPED" }))).taskArns ?? [];
    const described = (await c.ecs.send(new DescribeTasksCommand({ cluster: s.cluster, tasks: stopped }))).tasks ?? [];
    await until("tasks STOPPED", async () => {
      const t = (await c.ecs.send(new DescribeTasksCommand({ cluster: s.cluster, tasks: stopped }))).tasks ?? [];
      return t.length === 2 && t.every((x) => x.lastStatus === "STOPPED" && x.stoppedAt instanceof Date);
    });
    expect(described.every((t) => t.stopCode === "ServiceSchedulerInitiated")).toBe(true);
    const events =
      (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0]?.events ?? [];
    expect(events.some((e) => /has begun draining connections on 2 tasks/.test(e.message ?? ""))).toBe(true);
    expect(events.some((e) => /deregistered/.test(e.message ?? ""))).toBe(true);
  });

  it("force new deployment replaces every task, one at a time", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-server", s.serverTaskDef, 2, { lb: true });
    const before = await until("steady", async () => {
      const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0];
      return svc?.events?.some((e) => /steady state/.test(e.message ?? "")) ? svc : undefined;
    });
    const oldArns = new Set((await c.ecs.send(new ListTasksCommand({ cluster: s.cluster }))).taskArns ?? []);
    expect(oldArns.size).toBe(2);
    const upd = await c.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: "prefect-server", forceNewDeployment: true }));
    expect(upd.service?.deployments?.length).toBe(2);
    expect(upd.service?.deployments?.[0]).toMatchObject({ status: "PRIMARY", rolloutState: "IN_PROGRESS" });
    expect(upd.service?.deployments?.[0]?.id).not.toBe(before.deployments?.[0]?.id);

    let maxRunning = 0;
    const done = await until("deployment completed", async () => {
      const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0];
      maxRunning = Math.max(maxRunning, (svc?.runningCount ?? 0) + (svc?.pendingCount ?? 0));
      return svc?.deployments?.length === 1 && svc.deployments[0]?.rolloutState === "COMPLETED" && svc.runningCount === 2 ? svc : undefined;
    });
    expect(done.deployments?.[0]?.id).toBe(upd.service?.deployments?.[0]?.id);
    const now = (await c.ecs.send(new ListTasksCommand({ cluster: s.cluster }))).taskArns ?? [];
    expect(now).toHaveLength(2);
    expect(now.some((a) => oldArns.has(a))).toBe(false);
    expect(maxRunning).toBeLessThanOrEqual(3); // one extra task at a time
  });
});
