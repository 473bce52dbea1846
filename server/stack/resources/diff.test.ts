import { describe, expect, it } from "vitest";
import type { ContainerDefinition, TaskDefinition } from "@aws-sdk/client-ecs";
import { STACK_TAG, stackNames } from "@/lib/names";
import { defaultSpec, type StackSpec } from "@/lib/stack-spec";
import type { Refs, StackContext } from "../types";
import { dbInstance, maxStorageChange } from "./database";
import { listeners, loadBalancer } from "./load-balancer";
import { albSecurityGroup, rulesOf, tasksSecurityGroup } from "./security-groups";
import { MANAGED_BY_AUTO_SCALING, serverService, workerService } from "./services";
import { environmentChange, serverTaskDef } from "./task-definitions";
import { templateDefaults } from "./work-pool-template";

// Diff logic: what AWS answers (with its extra fields and different ordering) against what the spec wants.

const spec: StackSpec = defaultSpec({
  env: "production",
  vpcId: "vpc-0abc1234",
  privateSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
  publicSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
});
const ctx: StackContext = {
  env: "production",
  region: "eu-west-2",
  spec,
  names: stackNames("production"),
  account: "123456789012",
  partition: "aws",
};
const refs: Refs = {
  "sg-alb": { groupId: "sg-alb00000001" },
  "sg-tasks": { groupId: "sg-tasks0000001" },
  "role-execution": { arn: "arn:aws:iam::123456789012:role/prefect-ecs-execution-production" },
  "role-task": { arn: "arn:aws:iam::123456789012:role/prefect-ecs-task-production" },
  alb: { arn: "arn:alb", dnsName: "internal-prefect-production-1.eu-west-2.elb.amazonaws.com", arnSuffix: "app/prefect-production/1" },
  "target-group": { arn: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/prefect-production/2" },
  "taskdef-server": { arn: "arn:aws:ecs:eu-west-2:123456789012:task-definition/prefect-server-production:4" },
};

describe("security group rules", () => {
  // A group the console made carries its stack tag.
  const owned = { Tags: [{ Key: STACK_TAG, Value: ctx.env }] };
  it("normalise AWS's grouping and order", () => {
    const perms = [
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "HTTPS" }] },
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
    ];
    expect(rulesOf(perms)).toEqual(["tcp:443:10.0.0.0/8", "tcp:80:10.0.0.0/8"]);
    const d = albSecurityGroup.desired(ctx, refs);
    expect(albSecurityGroup.diff(d, { ...owned, GroupId: "sg-alb00000001", IpPermissions: perms }, ctx).action).toBe("noop");
  });
  it("an extra rule (someone opened 4200 to the world) is an update that revokes it", () => {
    const d = tasksSecurityGroup.desired(ctx, refs);
    const o = {
      ...owned,
      GroupId: "sg-tasks0000001",
      IpPermissions: [
        {
          IpProtocol: "tcp",
          FromPort: 4200,
          ToPort: 4200,
          UserIdGroupPairs: [{ GroupId: "sg-alb00000001" }, { GroupId: "sg-tasks0000001" }],
          IpRanges: [{ CidrIp: "0.0.0.0/0" }],
        },
      ],
    };
    const diff = tasksSecurityGroup.diff(d, o, ctx);
    expect(diff.action).toBe("update");
    // 4200 from the ALB's group and from the tasks' own group (the worker, through Cloud Map) stay.
    expect(diff.changes[0]).toMatchObject({
      field: "ingress",
      from: "tcp:4200:0.0.0.0/0, tcp:4200:sg-alb00000001, tcp:4200:sg-tasks0000001",
      to: "tcp:4200:sg-alb00000001, tcp:4200:sg-tasks0000001",
    });
  });
  it("a source group still to be created: a rule from some group on the port counts, none is an update", () => {
    const d = tasksSecurityGroup.desired(ctx, {});
    expect(
      tasksSecurityGroup.diff(
        d,
        {
          ...owned,
          GroupId: "sg-x",
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 4200, ToPort: 4200, UserIdGroupPairs: [{ GroupId: "sg-old" }] }],
        },
        ctx,
      ).action,
    ).toBe("noop");
    expect(tasksSecurityGroup.diff(d, { ...owned, GroupId: "sg-x", IpPermissions: [] }, ctx).action).toBe("update");
  });
  it("a group made outside the console (no stack tag) is claimed by a planned tag change, its rules unchanged", () => {
    const perms = [
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
      { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
    ];
    const d = albSecurityGroup.desired(ctx, refs);
    const diff = albSecurityGroup.diff(
      d,
      { GroupId: "sg-tf", Tags: [{ Key: "ManagedBy", Value: "terraform" }], IpPermissions: perms },
      ctx,
    );
    expect(diff.changes).toEqual([{ field: `tag ${STACK_TAG}`, from: "(none)", to: ctx.env }]);
  });
});

describe("task definition", () => {
  const wanted = serverTaskDef.desired(ctx, refs);
  const asRegistered: TaskDefinition = {
    ...wanted,
    taskDefinitionArn: "arn:...:4",
    revision: 4,
    status: "ACTIVE",
    compatibilities: ["EC2", "FARGATE"],
    containerDefinitions: wanted.containerDefinitions?.map((c: ContainerDefinition) => ({
      ...c,
      cpu: 0,
      mountPoints: [],
      volumesFrom: [],
      environment: [...(c.environment ?? [])].reverse(),
    })),
  } as TaskDefinition;
  it("what ECS echoes back (extra defaults, other order) is no change", () => {
    expect(serverTaskDef.diff(wanted, asRegistered, ctx)).toEqual({ action: "noop", changes: [] });
  });
  it("a new image or size is an update listing the fields", () => {
    const d = serverTaskDef.desired(
      { ...ctx, spec: { ...spec, prefectImage: "prefecthq/prefect:3.4.1-python3.12", serverMemory: 2048 } },
      refs,
    );
    const diff = serverTaskDef.diff(d, asRegistered, ctx);
    expect(diff.action).toBe("update");
    expect(diff.changes.map((c) => c.field)).toEqual(["CPU / memory", "image", "memory reservation"]);
  });
});

describe("other kinds", () => {
  it("service: a new task definition revision and a desired count are an update", () => {
    const d = serverService.desired(ctx, refs);
    const o = {
      serviceName: "prefect-server",
      taskDefinition: "arn:aws:ecs:eu-west-2:123456789012:task-definition/prefect-server-production:3",
      desiredCount: 2,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ["subnet-0000000b", "subnet-0000000a"], securityGroups: ["sg-tasks0000001"] },
      },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    };
    const diff = serverService.diff(d, o, ctx);
    expect(diff.changes.map((c) => c.field)).toEqual(["task definition", "desired count"]);
  });
  it("load balancer: a scheme change is a replace", () => {
    const d = loadBalancer.desired({ ...ctx, spec: { ...spec, albScheme: "internet-facing" } }, refs);
    expect(
      loadBalancer.diff(
        d,
        {
          Scheme: "internal",
          SecurityGroups: ["sg-alb00000001"],
          AvailabilityZones: [{ SubnetId: "subnet-0000000c" }, { SubnetId: "subnet-0000000d" }],
        },
        ctx,
      ).action,
    ).toBe("replace");
  });
  it("listeners: adding a certificate turns HTTP forward into a redirect plus HTTPS", () => {
    const d = listeners.desired({ ...ctx, spec: { ...spec, certificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/abc" } }, refs);
    const o = {
      loadBalancerArn: "arn:alb",
      listeners: [{ Port: 80, Protocol: "HTTP", DefaultActions: [{ Type: "forward", TargetGroupArn: refs["target-group"]!.arn }] }],
    };
    const diff = listeners.diff(d, o, ctx);
    expect(diff.action).toBe("update");
    expect(diff.changes[0]?.to).toContain("HTTPS:443");
  });
  it("RDS: a pending modification counts as done; storage never shrinks", () => {
    const d = dbInstance.desired({ ...ctx, spec: { ...spec, dbInstanceClass: "db.t3.small", dbAllocatedStorage: 20 } }, refs);
    const o = {
      DBInstanceIdentifier: "prefect-production",
      DBInstanceStatus: "modifying",
      DBInstanceClass: "db.t3.micro",
      PendingModifiedValues: { DBInstanceClass: "db.t3.small" },
      AllocatedStorage: 50,
      MaxAllocatedStorage: 40,
      MultiAZ: false,
      DeletionProtection: false,
      BackupRetentionPeriod: 7,
      StorageEncrypted: true,
      EngineVersion: "15.4",
    };
    const diff = dbInstance.diff(d, o, ctx);
    expect(diff.action).toBe("noop");
    expect(diff.notes?.[0]).toMatch(/cannot shrink/);
  });
});

describe("worker service under auto scaling", () => {
  const workerRefs: Refs = {
    ...refs,
    "taskdef-worker": { arn: "arn:aws:ecs:eu-west-2:123456789012:task-definition/prefect-worker-production:2" },
  };
  const observed = (desiredCount: number) => ({
    serviceName: "prefect-worker",
    taskDefinition: "arn:aws:ecs:eu-west-2:123456789012:task-definition/prefect-worker-production:2",
    desiredCount,
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ["subnet-0000000a", "subnet-0000000b"], securityGroups: ["sg-tasks0000001"] },
    },
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
  });
  it("a count auto scaling chose (3) is no change once a scalable target exists; the plan says who owns it", () => {
    const d = workerService.desired(ctx, workerRefs);
    expect(d.desiredCount).toBe(1);
    const diff = workerService.diff(d, { ...observed(3), autoScaling: { min: 1, max: 4 } }, ctx);
    expect(diff.action).toBe("noop");
    expect(diff.notes?.join(" ")).toContain(`desired count: ${MANAGED_BY_AUTO_SCALING} (1–4 tasks, now 3)`);
  });
  it("without a scalable target the spec's count is applied", () => {
    const diff = workerService.diff(workerService.desired(ctx, workerRefs), observed(3), ctx);
    expect(diff.changes).toEqual([{ field: "desired count", from: "3", to: "1" }]);
  });
});

describe("task definition environment in a plan", () => {
  it("shows variable names and 'value changed', never the values (an adopted stack's DB URL with its password)", () => {
    const url = "postgresql+asyncpg://prefect:TerraformPassw0rd@prefect-production.abc.eu-west-2.rds.amazonaws.com:5432/prefect";
    const change = environmentChange(
      [
        { name: "PREFECT_SERVER_API_HOST", value: "0.0.0.0" },
        { name: "PREFECT_UI_API_URL", value: "http://x/api" },
      ],
      [
        { name: "PREFECT_API_DATABASE_CONNECTION_URL", value: url },
        { name: "PREFECT_SERVER_API_HOST", value: "127.0.0.1" },
      ],
    );
    expect(change).toEqual({
      field: "environment",
      from: "PREFECT_API_DATABASE_CONNECTION_URL, PREFECT_SERVER_API_HOST",
      to: "PREFECT_UI_API_URL added; PREFECT_SERVER_API_HOST value changed; PREFECT_API_DATABASE_CONNECTION_URL removed",
    });
    expect(JSON.stringify(change)).not.toContain("TerraformPassw0rd");
  });
});

describe("RDS storage autoscaling, the way RDS accepts it", () => {
  it("0 in the spec turns autoscaling off by sending MaxAllocatedStorage equal to the allocated storage", () => {
    expect(maxStorageChange({ AllocatedStorage: 20 }, { AllocatedStorage: 20, MaxAllocatedStorage: 40 })).toEqual({
      MaxAllocatedStorage: 20,
    });
    // Growing the storage at the same time: off means the new allocated size.
    expect(maxStorageChange({ AllocatedStorage: 30 }, { AllocatedStorage: 20, MaxAllocatedStorage: 40 })).toEqual({
      MaxAllocatedStorage: 30,
    });
  });
  it("off and staying off sends nothing; a ceiling is sent as it is", () => {
    expect(maxStorageChange({ AllocatedStorage: 20 }, { AllocatedStorage: 20 })).toEqual({});
    expect(maxStorageChange({ AllocatedStorage: 20 }, { AllocatedStorage: 20, MaxAllocatedStorage: 20 })).toEqual({});
    expect(maxStorageChange({ AllocatedStorage: 20, MaxAllocatedStorage: 50 }, { AllocatedStorage: 20 })).toEqual({
      MaxAllocatedStorage: 50,
    });
  });
  it("an instance whose ceiling equals its storage counts as off: a spec with 0 re-plans empty", () => {
    const c = { ...ctx, spec: { ...spec, dbMaxAllocatedStorage: 0 } };
    const d = dbInstance.desired(c, refs);
    const o = { DBInstanceIdentifier: "prefect-production", DBInstanceStatus: "available", AllocatedStorage: 20, MaxAllocatedStorage: 20 };
    expect(dbInstance.diff(d, o, c).changes.map((x) => x.field)).not.toContain("max storage (GB)");
  });
});

describe("work pool job template defaults", () => {
  it("compare equal whatever the key order (Prefect's PostgreSQL stores the template as jsonb)", () => {
    const a = {
      variables: {
        properties: { network_configuration: { default: { subnets: ["s1"], securityGroups: ["g"], assignPublicIp: "DISABLED" } } },
      },
    };
    const b = {
      variables: {
        properties: { network_configuration: { default: { assignPublicIp: "DISABLED", securityGroups: ["g"], subnets: ["s1"] } } },
      },
    };
    expect(templateDefaults(a)).toEqual(templateDefaults(b));
    const c = {
      variables: {
        properties: { network_configuration: { default: { assignPublicIp: "ENABLED", securityGroups: ["g"], subnets: ["s1"] } } },
      },
    };
    expect(templateDefaults(a).network_configuration).not.toBe(templateDefaults(c).network_configuration);
  });
});
