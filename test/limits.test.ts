import { mockClient } from "aws-sdk-client-mock";
import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { afterEach, describe, expect, it } from "vitest";
import { LIMIT_HINTS } from "@/components/provisioning/spec-fields";
import { checkDesiredCount, desiredCountError, MAX_DESIRED_COUNT, scaleBounds } from "@/lib/ops/desired-count";
import { scaleServiceSchema } from "@/lib/schemas/ops";
import { SPEC_LIMITS } from "@/lib/stack-limits";
import { defaultSpec, stackSpecSchema, type StackSpec } from "@/lib/stack-spec";
import { discoverStack } from "@/server/stack/adopt";

// One set of limits (lib/stack-limits.ts): what the provisioning form hints, what the StackSpec schema accepts,
// what the scale action accepts for each service, and what adopt reads back from AWS must all be the same range.

const base = defaultSpec({
  env: "production",
  vpcId: "vpc-0abc1234",
  privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
  publicSubnetIds: ["subnet-0ccc3333", "subnet-0ddd4444"],
});
const specAccepts = (over: Partial<StackSpec>) => stackSpecSchema.safeParse({ ...base, ...over }).success;
const scaleAccepts = (service: "server" | "worker", desiredCount: number) => {
  const parsed = scaleServiceSchema.safeParse({ env: "production", service, desiredCount });
  return parsed.success && checkDesiredCount(service, desiredCount, scaleBounds(service, undefined)) === null;
};

describe("the form's hints show the range the StackSpec schema enforces", () => {
  it("server tasks", () => {
    const [lo, hi] = LIMIT_HINTS.serverDesiredCount.split("–").map(Number) as [number, number];
    expect([lo, hi]).toEqual([SPEC_LIMITS.serverDesiredCount.min, SPEC_LIMITS.serverDesiredCount.max]);
    expect(specAccepts({ serverDesiredCount: lo })).toBe(true);
    expect(specAccepts({ serverDesiredCount: hi })).toBe(true);
    expect(specAccepts({ serverDesiredCount: lo - 1 })).toBe(false);
    expect(specAccepts({ serverDesiredCount: hi + 1 })).toBe(false);
  });

  it("database storage", () => {
    const least = Number(/At least (\d+) GB/.exec(LIMIT_HINTS.dbAllocatedStorage)?.[1]);
    expect(specAccepts({ dbAllocatedStorage: least, dbMaxAllocatedStorage: 0 })).toBe(true);
    expect(specAccepts({ dbAllocatedStorage: least - 1, dbMaxAllocatedStorage: 0 })).toBe(false);
  });
});

describe("the scale action accepts exactly the desired counts a StackSpec may hold", () => {
  it("server", () => {
    const { min, max } = scaleBounds("server", undefined);
    expect(specAccepts({ serverDesiredCount: max }) && scaleAccepts("server", max)).toBe(true);
    expect(specAccepts({ serverDesiredCount: min }) && scaleAccepts("server", min)).toBe(true);
    expect(specAccepts({ serverDesiredCount: max + 1 }) || scaleAccepts("server", max + 1)).toBe(false);
    expect(specAccepts({ serverDesiredCount: min - 1 }) || scaleAccepts("server", min - 1)).toBe(false);
  });

  it("worker (0 pauses it)", () => {
    const { max } = scaleBounds("worker", undefined);
    expect(specAccepts({ workerDesiredCount: max, workerMaxCount: max }) && scaleAccepts("worker", max)).toBe(true);
    expect(specAccepts({ workerDesiredCount: 0, workerMinCount: 0 }) && scaleAccepts("worker", 0)).toBe(true);
    expect(specAccepts({ workerDesiredCount: max + 1, workerMaxCount: max + 1 }) || scaleAccepts("worker", max + 1)).toBe(false);
  });

  it("no service goes above the schema's ceiling, and the page says what the server says", () => {
    expect(MAX_DESIRED_COUNT).toBe(Math.max(scaleBounds("server", undefined).max, scaleBounds("worker", undefined).max));
    const over = scaleServiceSchema.safeParse({ env: "production", service: "worker", desiredCount: MAX_DESIRED_COUNT + 1 });
    expect(over.success ? null : over.error.issues[0]?.message).toBe(desiredCountError(MAX_DESIRED_COUNT + 1));
  });

  it("an auto-scaling range wider than the console's is clipped to it", () => {
    expect(scaleBounds("worker", { min: 2, max: 500 })).toMatchObject({ min: 2, max: SPEC_LIMITS.workerDesiredCount.max });
  });
});

describe("adopt reads an out-of-range stack back into the same limits", () => {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  const rds = mockClient(RDSClient);
  const ecs = mockClient(ECSClient);
  const ec2 = mockClient(EC2Client);
  afterEach(() => [elb, rds, ecs, ec2].forEach((m) => m.reset()));

  it("a server scaled to 25 by hand and backups turned off become the nearest values the console allows", async () => {
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancers: [{ VpcId: base.vpcId, Scheme: "internal", AvailabilityZones: base.publicSubnetIds.map((SubnetId) => ({ SubnetId })) }],
    });
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceClass: "db.t3.micro",
          AllocatedStorage: 20,
          MaxAllocatedStorage: 40,
          BackupRetentionPeriod: 0,
          DBSubnetGroup: { VpcId: base.vpcId, Subnets: base.privateSubnetIds.map((SubnetIdentifier) => ({ SubnetIdentifier })) },
        },
      ],
    });
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: "prefect-production", status: "ACTIVE" }] });
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: "prefect-server", status: "ACTIVE", desiredCount: 25, taskDefinition: "prefect-server-production:3" }],
    });
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        cpu: "512",
        memory: "1024",
        containerDefinitions: [{ name: "prefect-server", image: "prefecthq/prefect:3-latest" }],
      },
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });

    const { spec } = await discoverStack("production", "eu-west-2");
    expect(spec.serverDesiredCount).toBe(SPEC_LIMITS.serverDesiredCount.max);
    expect(spec.dbBackupRetentionDays).toBe(SPEC_LIMITS.dbBackupRetentionDays.min);
    expect(stackSpecSchema.safeParse(spec).success).toBe(true);
    expect(scaleAccepts("server", spec.serverDesiredCount)).toBe(true);
  });
});
