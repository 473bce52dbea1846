import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { DescribeServicesCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { openDb, type Db } from "@/server/db";
import { upsertStack } from "@/server/stack/registry";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { invalidateSnapshot, MAX_SNAPSHOT_ENTRIES, sharedSnapshot, sharedSnapshotParts, snapshotCacheSize } from "./snapshot-cache";
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

  it("the streamed page and the refresh route share one snapshot, and a slow API holds back only its own panel", async () => {
    invalidateSnapshot("shared");
    ecs.resetHistory();
    let answerRds: (v: object) => void = () => {};
    rds.on(DescribeDBInstancesCommand).callsFake(() => new Promise((resolve) => (answerRds = resolve)));

    const parts = await sharedSnapshotParts(db, "shared", { prefect: false }); // the page
    const whole = sharedSnapshot(db, "shared", { prefect: false }); // the refresh route, moments later
    expect(await parts!.panels.services).toEqual({ ok: true, data: [] });
    let dbAnswered = false;
    void parts!.panels.database.then(() => (dbAnswered = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(dbAnswered).toBe(false);

    answerRds({ DBInstances: [] });
    expect((await whole)?.database).toEqual({ ok: true, data: null });
    expect(await parts!.done).toBe(await whole);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    rds.on(DescribeDBInstancesCommand).resolves({});
  });

  it("keeps at most MAX_SNAPSHOT_ENTRIES stacks, dropping the oldest", async () => {
    for (let i = 0; i < MAX_SNAPSHOT_ENTRIES + 20; i++) await sharedSnapshot(db, `unknown-${i}`, { prefect: false });
    expect(snapshotCacheSize()).toBe(MAX_SNAPSHOT_ENTRIES);
  });
});
