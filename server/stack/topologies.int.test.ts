import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeAddressesCommand, DescribeNatGatewaysCommand, DescribeRouteTablesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { STACK_TAG } from "@/lib/names";
import type { StackSpec } from "@/lib/stack-spec";
import { UserError } from "@/server/errors";
import { totalAwsCalls, resetAwsCallCounts } from "@/server/aws/client";
import type { Db } from "@/server/db";
import { prefectHealth, prefectWorkers } from "@/server/prefect/client";
import { wouldAwsRun } from "@/test/stack/would-aws-run";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { previewApply } from "./service";
import { sandboxEnv } from "@/test/fixtures/sandbox";
import { fastRunner, freshStore, sandboxSpec } from "@/test/stack/sandbox-spec";

// Issue 11, "Tests that must exist": on the strict sandbox a full apply reaches a healthy server and an ONLINE worker
// in each topology, and the independent "would AWS run this" judge finds nothing; a VPC without egress and without
// the NAT option is refused by the plan before any mutating call.

const MUTATING =
  /\.(Create|Update|Put|Delete|Modify|Register|Deregister|Authorize|Revoke|Attach|Detach|Set|Restore|Tag|Untag|Allocate|Release|Replace|Change)/;
const admin = () => ({
  region: "us-east-1",
  credentials: {
    accessKeyId: sandboxEnv("SANDBOX_ADMIN_ACCESS_KEY_ID"),
    secretAccessKey: sandboxEnv("SANDBOX_ADMIN_SECRET_ACCESS_KEY"),
  },
});

let db: Db;
beforeAll(async () => {
  fastRunner();
  db = await freshStore();
});
afterAll(async () => {
  await db.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Apply → the server answers, the worker is ONLINE, the judge finds nothing. Returns the API URL. */
async function applyAndJudge(spec: StackSpec): Promise<string> {
  await previewApply(db, spec, "new"); // the same preflight the form's "Review plan" runs
  const id = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });
  const status = await executeRun(db, id);
  const run = await getRun(db, id);
  expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
  expect(status).toBe("succeeded");
  const apiUrl = run?.apiUrl ?? "";
  if (spec.albScheme === "internet-facing") {
    expect(await prefectHealth({ apiUrl })).toBe(true);
    // The worker reaches the server through Cloud Map inside the VPC: the sandbox marks it ONLINE only if it can.
    const online = await until("an ONLINE worker", async () => {
      const workers = await prefectWorkers({ apiUrl }, spec.workerPoolName);
      return workers.some((w) => w.status === "ONLINE") ? workers : undefined;
    });
    expect(online.length).toBeGreaterThan(0);
  } else await judgeFromInsideTheVpc(spec);
  expect(await wouldAwsRun({ env: spec.env, region: spec.region, pool: { name: spec.workerPoolName, type: spec.workerPoolType } })).toEqual(
    [],
  );
  return apiUrl;
}

/**
 * An internal ALB answers only inside its VPC, and the test (like the console) is outside: the server's health is its
 * target health, and the worker's path is proven by the server logging the worker's heartbeats while the worker logs
 * no "Failed to reach the Prefect API".
 */
async function judgeFromInsideTheVpc(spec: StackSpec): Promise<void> {
  const elb = new ElasticLoadBalancingV2Client(admin());
  const tg = (await elb.send(new DescribeTargetGroupsCommand({ Names: [`prefect-${spec.env}`] }))).TargetGroups?.[0];
  await until("a healthy server target", async () => {
    const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn }))).TargetHealthDescriptions ?? [];
    return health.some((h) => h.TargetHealth?.State === "healthy") ? true : undefined;
  });
  const logs = new CloudWatchLogsClient(admin());
  const lines = async (prefix: string, filterPattern: string) =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: `/ecs/prefect-${spec.env}`, logStreamNamePrefix: prefix, filterPattern })))
      .events ?? [];
  await until("the worker's heartbeats in the server's log", async () => ((await lines("server", "heartbeat")).length ? true : undefined));
  expect(await lines("worker", '"Failed to reach the Prefect API"')).toEqual([]);
}

async function destroy(spec: StackSpec): Promise<void> {
  const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
  const status = await executeRun(db, d);
  const run = await getRun(db, d);
  expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
  expect(status).toBe("succeeded");
}

describe("the stack runs in every topology", () => {
  it("internal ALB over HTTP, in a VPC with a NAT gateway", async () => {
    const spec = sandboxSpec();
    const apiUrl = await applyAndJudge(spec);
    expect(apiUrl).toMatch(/^http:\/\/[^/]+\.elb\.amazonaws\.com\/api$/);
    await destroy(spec);
  }, 300_000);

  it("internet-facing ALB over HTTPS on a Route 53 domain: the alias record, every URL on the domain", async () => {
    const base = sandboxSpec({ albScheme: "internet-facing", certificateArn: sandboxEnv("SANDBOX_WILDCARD_CERT_ARN") });
    const domain = `${base.env}.${sandboxEnv("SANDBOX_DOMAIN")}`;
    const spec = { ...base, domainName: domain };
    const apiUrl = await applyAndJudge(spec);
    expect(apiUrl).toBe(`https://${domain}/api`);
    const r53 = new Route53Client(admin());
    const records = async () =>
      (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: sandboxEnv("SANDBOX_HOSTED_ZONE_ID") }))).ResourceRecordSets ?? [];
    const alias = (await records()).find((r) => r.Name?.replace(/\.$/, "") === domain && r.Type === "A");
    expect(alias?.AliasTarget?.DNSName).toMatch(/elb\.amazonaws\.com\.?$/);
    await destroy(spec);
    expect((await records()).some((r) => r.Name?.replace(/\.$/, "") === domain)).toBe(false);
  }, 300_000);

  it("a VPC without NAT: the stack creates one (Elastic IP, routes) and removes it on destroy", async () => {
    const spec = sandboxSpec({
      vpcId: sandboxEnv("SANDBOX_NONAT_VPC_ID"),
      privateSubnetIds: sandboxEnv("SANDBOX_NONAT_PRIVATE_SUBNETS").split(","),
      publicSubnetIds: sandboxEnv("SANDBOX_NONAT_PUBLIC_SUBNETS").split(","),
      albScheme: "internet-facing",
      natGateways: "single",
    });
    const plan = await planApply(spec);
    expect(plan.cost.lines.find((l) => l.key === "nat")?.monthly).toBeGreaterThan(30);
    expect(plan.items.filter((i) => i.key.startsWith("nat-")).map((i) => `${i.key}:${i.action}`)).toEqual([
      "nat-eips:create",
      "nat-gateways:create",
      "nat-routes:create",
    ]);
    await applyAndJudge(spec);
    const ec2 = new EC2Client(admin());
    const byTag = [{ Name: `tag:${STACK_TAG}`, Values: [spec.env] }];
    // The tag filter is checked here too: moto ignores it on DescribeNatGateways.
    const stackNats = async () =>
      ((await ec2.send(new DescribeNatGatewaysCommand({ Filter: byTag }))).NatGateways ?? []).filter((n) =>
        n.Tags?.some((t) => t.Key === STACK_TAG && t.Value === spec.env),
      );
    const nats = await stackNats();
    expect(nats.filter((n) => n.State === "available")).toHaveLength(1);
    const natId = nats[0]?.NatGatewayId;
    const tables =
      (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [spec.vpcId] }] }))).RouteTables ?? [];
    const routed = tables.filter((t) => t.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.NatGatewayId === natId));
    expect(routed.length).toBeGreaterThan(0);

    await destroy(spec);
    const after = await stackNats();
    expect(after.every((n) => n.State === "deleted")).toBe(true);
    const addresses = (await ec2.send(new DescribeAddressesCommand({ Filters: byTag }))).Addresses ?? [];
    expect(addresses.filter((a) => a.Tags?.some((t) => t.Key === STACK_TAG && t.Value === spec.env))).toEqual([]);
    const tablesAfter =
      (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [spec.vpcId] }] }))).RouteTables ?? [];
    expect(tablesAfter.some((t) => t.Routes?.some((r) => r.NatGatewayId === natId))).toBe(false);
  }, 300_000);

  it("a VPC without egress and without the NAT option: the plan refuses in words, with zero mutating calls", async () => {
    const isolated = sandboxEnv("SANDBOX_ISOLATED_SUBNETS").split(",");
    const spec = sandboxSpec({ vpcId: sandboxEnv("SANDBOX_ISOLATED_VPC_ID"), privateSubnetIds: isolated, publicSubnetIds: isolated });
    resetAwsCallCounts();
    const refused = await previewApply(db, spec, "new").then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(UserError);
    const e = refused as UserError;
    expect(e.message).toMatch(/no way out to the internet/);
    expect(e.fieldErrors?.privateSubnetIds?.join(" ")).toMatch(/cannot pull the image/);
    expect(e.fieldErrors?.natGateways?.join(" ")).toMatch(/create a NAT gateway/);
    expect(totalAwsCalls((op) => MUTATING.test(op))).toBe(0);
  });
});
