import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stackNames } from "@/lib/names";
import { defaultSpec, type StackSpec } from "@/lib/stack-spec";
import type { Refs, StackContext } from "../types";
import { alarmInputs } from "./alarms";
import { listeners, targetGroup } from "./load-balancer";
import { serverService, workerService } from "./services";
import { serverTaskDefinition, workerTaskDefinition } from "./task-definitions";
import { executionRole, taskRole } from "./iam-roles";
import { dbInstance } from "./database";
import { dnsRecord } from "./dns-record";
import { discoveryNamespace, discoveryService } from "./service-discovery";
import { albSecurityGroup, rdsSecurityGroup, tasksSecurityGroup } from "./security-groups";

// Golden files: a few StackSpecs → the exact SDK inputs. A change to what the console sends to AWS shows up as a
// diff of a checked-in JSON file. Regenerate on purpose with UPDATE_GOLDEN=1 and review the diff.

const DIR = path.join(__dirname, "__golden__");

function golden(name: string, value: unknown) {
  const file = path.join(DIR, `${name}.json`);
  const text = JSON.stringify(value, null, 2) + "\n";
  if (process.env.UPDATE_GOLDEN === "1" || !fs.existsSync(file)) fs.writeFileSync(file, text);
  expect(text).toBe(fs.readFileSync(file, "utf8"));
}

const base = defaultSpec({
  env: "production",
  vpcId: "vpc-0abc1234",
  privateSubnetIds: ["subnet-0000000b", "subnet-0000000a"],
  publicSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
});

const specs: Record<string, StackSpec> = {
  seed: base,
  https: {
    ...base,
    env: "staging",
    region: "us-east-1",
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-111122223333",
    domainName: "prefect.example.com",
    snsTopicArn: "arn:aws:sns:us-east-1:123456789012:prefect-alerts",
    albScheme: "internet-facing",
    basicAuth: true,
    workerPoolType: "process",
    workerPoolName: "batch",
    serverCpu: 1024,
    serverMemory: 4096,
    serverDesiredCount: 2,
    dbMultiAz: true,
    dbDeletionProtection: true,
  },
};

const ctxFor = (spec: StackSpec): StackContext => ({
  env: spec.env,
  region: spec.region,
  spec,
  names: stackNames(spec.env),
  account: "123456789012",
  partition: "aws",
});

const refsFor = (spec: StackSpec): Refs => ({
  "sg-alb": { groupId: "sg-0a1b000000000001" },
  "sg-tasks": { groupId: "sg-0a1b000000000002" },
  "sg-rds": { groupId: "sg-0a1b000000000003" },
  "db-subnet-group": { name: `prefect-${spec.env}` },
  "secret-db-url": { arn: `arn:aws:secretsmanager:${spec.region}:123456789012:secret:prefect/${spec.env}/database-url-AbCdEf` },
  "secret-api-auth": { arn: `arn:aws:secretsmanager:${spec.region}:123456789012:secret:prefect/${spec.env}/api-auth-GhIjKl` },
  "role-execution": { arn: `arn:aws:iam::123456789012:role/prefect-ecs-execution-${spec.env}` },
  "role-task": { arn: `arn:aws:iam::123456789012:role/prefect-ecs-task-${spec.env}` },
  alb: {
    arn: `arn:aws:elasticloadbalancing:${spec.region}:123456789012:loadbalancer/app/prefect-${spec.env}/50dc6c495c0c9188`,
    dnsName: `internal-prefect-${spec.env}-1234567890.${spec.region}.elb.amazonaws.com`,
    zoneId: "Z35SXDOTRQ7X7K",
    arnSuffix: `app/prefect-${spec.env}/50dc6c495c0c9188`,
  },
  "target-group": {
    arn: `arn:aws:elasticloadbalancing:${spec.region}:123456789012:targetgroup/prefect-${spec.env}/73e2d6bc24d8a067`,
    arnSuffix: `targetgroup/prefect-${spec.env}/73e2d6bc24d8a067`,
  },
  "dns-namespace": { id: "ns-abcdefghij0123456", arn: "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abcdefghij0123456" },
  "dns-service": { id: "srv-abcdefghij0123456", arn: "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abcdefghij0123456" },
  "taskdef-server": { arn: `arn:aws:ecs:${spec.region}:123456789012:task-definition/prefect-server-${spec.env}:3` },
  "taskdef-worker": { arn: `arn:aws:ecs:${spec.region}:123456789012:task-definition/prefect-worker-${spec.env}:2` },
});

describe.each(Object.entries(specs))("golden SDK inputs: %s", (name, spec) => {
  const ctx = ctxFor(spec);
  const refs = refsFor(spec);
  it("server task definition", () => golden(`${name}.taskdef-server`, serverTaskDefinition(ctx, refs)));
  it("worker task definition", () => golden(`${name}.taskdef-worker`, workerTaskDefinition(ctx, refs)));
  it("server service", () => golden(`${name}.service-server`, serverService.desired(ctx, refs)));
  it("worker service", () => golden(`${name}.service-worker`, workerService.desired(ctx, refs)));
  it("target group", () => golden(`${name}.target-group`, targetGroup.desired(ctx, refs)));
  it("listeners", () => golden(`${name}.listeners`, listeners.desired(ctx, refs)));
  it("alarms", () => golden(`${name}.alarms`, alarmInputs(ctx, refs)));
  it("IAM roles", () => golden(`${name}.roles`, [executionRole.desired(ctx, refs), taskRole.desired(ctx, refs)]));
  it("Cloud Map namespace and service", () =>
    golden(`${name}.service-discovery`, [discoveryNamespace.desired(ctx, refs), discoveryService.desired(ctx, refs)]));
  if (spec.domainName) it("Route 53 alias record", () => golden(`${name}.dns-record`, dnsRecord.desired(ctx, refs)));
  it("security groups", () =>
    golden(
      `${name}.security-groups`,
      [albSecurityGroup, tasksSecurityGroup, rdsSecurityGroup].map((r) => r.desired(ctx, refs)),
    ));
  it("RDS instance (no password in the desired input)", () => golden(`${name}.rds`, dbInstance.desired(ctx, refs)));
});

describe("what the golden inputs guarantee", () => {
  const ctx = ctxFor(specs.https!);
  const refs = refsFor(specs.https!);
  it("no secret value or DB URL in any task definition environment", () => {
    for (const td of [serverTaskDefinition(ctx, refs), workerTaskDefinition(ctx, refs)]) {
      const env = td.containerDefinitions?.flatMap((c) => c.environment ?? []) ?? [];
      expect(env.some((e) => /DATABASE|AUTH_STRING|PASSWORD/.test(e.name ?? ""))).toBe(false);
      expect(td.containerDefinitions?.every((c) => (c.memoryReservation ?? 0) > 0)).toBe(true);
    }
    const server = serverTaskDefinition(ctx, refs).containerDefinitions?.[0];
    expect(server?.secrets?.map((s) => s.name)).toEqual(["PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_API_AUTH_STRING"]);
    // Secrets Manager needs the full ARN: a bare name is read as an SSM parameter and the task never starts.
    expect(server?.secrets?.map((s) => s.valueFrom)).toEqual([refs["secret-db-url"]?.arn, refs["secret-api-auth"]?.arn]);
    // HTTPS URLs use the custom domain the certificate covers, never the ALB's own name.
    expect(server?.environment?.find((e) => e.name === "PREFECT_UI_API_URL")?.value).toBe("https://prefect.example.com/api");
  });
  it("the worker calls the server through Cloud Map inside the VPC; humans use the load balancer", () => {
    const worker = workerTaskDefinition(ctx, refs).containerDefinitions?.[0];
    expect(worker?.environment?.find((e) => e.name === "PREFECT_API_URL")?.value).toBe(
      "http://prefect-server.prefect-staging.local:4200/api",
    );
    expect(serverService.desired(ctx, refs).serviceRegistries).toEqual([{ registryArn: refs["dns-service"]?.arn }]);
    const tasks = tasksSecurityGroup.desired(ctx, refs) as {
      IpPermissions: { FromPort: number; UserIdGroupPairs?: { GroupId: string }[] }[];
    };
    expect(tasks.IpPermissions.filter((p) => p.FromPort === 4200).flatMap((p) => p.UserIdGroupPairs?.map((g) => g.GroupId))).toEqual([
      "sg-0a1b000000000001",
      "self",
    ]);
  });
  it("HTTPS: redirect on 80, TLS 1.3 policy on 443", () => {
    const d = listeners.desired(ctx, refs) as { listeners: { Port: number; DefaultActions: { Type: string }[]; SslPolicy?: string }[] };
    expect(d.listeners.map((l) => `${l.Port}:${l.DefaultActions[0]?.Type}`)).toEqual(["80:redirect", "443:forward"]);
    expect(d.listeners[1]?.SslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
  });
  it("the execution role reads only this stack's secrets; PassRole only this stack's roles", () => {
    const [exec, task] = [executionRole.desired(ctx, refs), taskRole.desired(ctx, refs)] as {
      InlinePolicies: Record<string, { Statement: { Action: unknown; Resource: unknown }[] }>;
    }[];
    const read = Object.values(exec?.InlinePolicies ?? {})[0]?.Statement[0];
    expect(read?.Action).toEqual(["secretsmanager:GetSecretValue"]);
    expect(read?.Resource).toEqual([refs["secret-db-url"]?.arn, refs["secret-api-auth"]?.arn]);
    const pass = Object.values(task?.InlinePolicies ?? {})[0]?.Statement.find((s) => s.Action === "iam:PassRole");
    expect(pass?.Resource).toEqual([
      "arn:aws:iam::123456789012:role/prefect-ecs-execution-staging",
      "arn:aws:iam::123456789012:role/prefect-ecs-task-staging",
    ]);
  });
});
