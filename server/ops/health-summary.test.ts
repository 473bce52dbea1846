import { describe, expect, it } from "vitest";
import { toneOf } from "./health-summary";
import { recordSpec } from "@/test/fixtures/stack-spec";

const ok = <T>(data: T) => ({ ok: true as const, data });

describe("stack health tone", () => {
  it("is ok when steady, healthy and quiet; failed on a firing alarm or no healthy target; pending while converging", () => {
    const base = {
      env: "p",
      services: ok({ count: 2, steady: 2, running: 2, desired: 2 }),
      targets: ok({ healthy: 1, total: 1 }),
      alarms: ok({ firing: [] as string[], total: 1 }),
    };
    expect(toneOf(base)).toBe("ok");
    expect(toneOf({ ...base, alarms: ok({ firing: ["prefect-high-cpu-p"], total: 1 }) })).toBe("failed");
    expect(toneOf({ ...base, targets: ok({ healthy: 0, total: 1 }) })).toBe("failed");
    expect(toneOf({ ...base, services: ok({ count: 2, steady: 1, running: 1, desired: 2 }) })).toBe("pending");
    expect(toneOf({ ...base, services: { ok: false, error: "denied" } })).toBe("failed");
  });
});

describe("stackHealthSummaries", () => {
  it("summarises every stack with one DescribeAlarms per region and reports a denied call on that stack only", async () => {
    const { mockClient } = await import("aws-sdk-client-mock");
    const { ECSClient, DescribeServicesCommand } = await import("@aws-sdk/client-ecs");
    const { ElasticLoadBalancingV2Client, DescribeTargetHealthCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
    const { CloudWatchClient, DescribeAlarmsCommand } = await import("@aws-sdk/client-cloudwatch");
    const { openDb } = await import("@/server/db");
    const { upsertStack } = await import("@/server/stack/registry");
    const { HEALTH_MAX_AGE_MS, stackHealthSummaries } = await import("./health-summary");
    const ecs = mockClient(ECSClient);
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const cw = mockClient(CloudWatchClient);
    const db = await openDb({ file: ":memory:" });
    try {
      for (const env of ["alpha", "beta"])
        await upsertStack(db, { env, region: "eu-west-2", spec: recordSpec(env), status: "ready", createdBy: "t" });
      const svc = (name: string, tg?: string) => ({
        serviceName: name,
        desiredCount: 1,
        runningCount: 1,
        deployments: [{ id: name, status: "PRIMARY", rolloutState: "COMPLETED" as const, desiredCount: 1, runningCount: 1 }],
        loadBalancers: tg ? [{ targetGroupArn: tg }] : [],
      });
      ecs.on(DescribeServicesCommand).resolves({ services: [] }); // a stack whose services are gone
      ecs
        .on(DescribeServicesCommand, { cluster: "prefect-alpha" })
        .resolves({ services: [svc("prefect-server", "tg-alpha"), svc("prefect-worker")] });
      ecs
        .on(DescribeServicesCommand, { cluster: "prefect-beta" })
        .rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
      elb
        .on(DescribeTargetHealthCommand)
        .resolves({ TargetHealthDescriptions: [{ Target: { Id: "10.0.0.1" }, TargetHealth: { State: "healthy" } }] });
      cw.on(DescribeAlarmsCommand).resolves({
        MetricAlarms: [
          { AlarmName: "prefect-high-cpu-alpha", StateValue: "ALARM", Dimensions: [{ Name: "ClusterName", Value: "prefect-alpha" }] },
          { AlarmName: "prefect-high-cpu-beta", StateValue: "OK", Dimensions: [{ Name: "ClusterName", Value: "prefect-beta" }] },
        ],
      });
      const h = await stackHealthSummaries(db);
      expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(1);
      expect(h.alpha).toMatchObject({
        tone: "failed",
        services: { ok: true, data: { count: 2, steady: 2 } },
        targets: { ok: true, data: { healthy: 1, total: 1 } },
        alarms: { ok: true, data: { firing: ["prefect-high-cpu-alpha"] } },
      });
      expect(h.beta!.services.ok).toBe(false);
      expect(h.beta!.alarms).toEqual({ ok: true, data: { firing: [], total: 1 } });

      // More viewers within the window share that read: no more AWS calls. A new stack, or the window passing, reads anew.
      const callsAfterFirstView = ecs.commandCalls(DescribeServicesCommand).length;
      await Promise.all([stackHealthSummaries(db), stackHealthSummaries(db)]);
      expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(callsAfterFirstView);
      await upsertStack(db, { env: "gamma", region: "eu-west-2", spec: recordSpec("gamma"), status: "ready", createdBy: "t" });
      expect(Object.keys(await stackHealthSummaries(db)).sort()).toEqual(["alpha", "beta", "gamma"]);
      expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(callsAfterFirstView + 3);
      await stackHealthSummaries(db, Date.now() + HEALTH_MAX_AGE_MS);
      expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(callsAfterFirstView + 6);
    } finally {
      ecs.restore();
      elb.restore();
      cw.restore();
      await db.close();
    }
  });
});
