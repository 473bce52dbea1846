import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { DescribeServicesCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { openDb, type Db } from "@/server/db";
import { upsertStack } from "@/server/stack/registry";
import { invalidateSnapshot, sharedSnapshot } from "./snapshot-cache";
import { recordSpec } from "@/test/fixtures/stack-spec";

// Twenty viewers refreshing at once cost one snapshot's AWS calls, not twenty.
const ecs = mockClient(ECSClient);
// Every other client answers "nothing there" (the panels' content does not matter here).
const elb = mockClient(ElasticLoadBalancingV2Client);
const rds = mockClient(RDSClient);
const cw = mockClient(CloudWatchClient);
const aas = mockClient(ApplicationAutoScalingClient);
let db: Db;

beforeAll(async () => {
  db = await openDb({ file: ":memory:" });
  await upsertStack(db, { env: "shared", region: "eu-west-2", spec: recordSpec("shared"), status: "ready", createdBy: "t" });
  ecs.on(DescribeServicesCommand).resolves({ services: [] });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  elb.onAnyCommand().resolves({});
  rds.onAnyCommand().resolves({});
  cw.onAnyCommand().resolves({});
  aas.onAnyCommand().resolves({});
});
afterAll(async () => {
  ecs.restore();
  for (const m of [elb, rds, cw, aas]) m.restore();
  await db.close();
});

describe("sharedSnapshot", () => {
  it("coalesces concurrent requests and serves a fresh snapshot again until invalidated", async () => {
    const all = await Promise.all(Array.from({ length: 20 }, () => sharedSnapshot(db, "shared", { prefect: false })));
    expect(new Set(all).size).toBe(1);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    await sharedSnapshot(db, "shared", { prefect: false });
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    invalidateSnapshot("shared");
    await sharedSnapshot(db, "shared", { prefect: false });
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
    await sharedSnapshot(db, "shared", { prefect: false, maxAgeMs: 0 });
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(3);
  });
});
