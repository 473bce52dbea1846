// Issue 10 item 1: tasks start as ECS starts them (sandbox/README.md, rule table). Tasks are launched with RunTask
// through the AWS proxy, as the product's one-off tasks are; service tasks go through the same check.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CreateVpcEndpointCommand,
  CreateSecurityGroupCommand,
  DeleteVpcEndpointsCommand,
  DescribeRouteTablesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
} from "@aws-sdk/client-ecs";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { ECS_TASKS_TRUST, adminConfig, executionRole, roleReady, sandboxClients, sandboxEnv, uniq } from "@/test/fixtures/sandbox";
import { cleanupStacks, minimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";

const c = sandboxClients();
const cfg = adminConfig();
const sm = new SecretsManagerClient(cfg);
const ssm = new SSMClient(cfg);
const region = sandboxEnv("AWS_REGION");
let cluster = "";

beforeAll(async () => {
  cluster = uniq("prefect-start");
  await c.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
});
afterEach(cleanupStacks);

interface Launch {
  image?: string;
  secrets?: { name: string; valueFrom: string }[];
  executionRoleArn?: string;
  subnets?: string[];
  assignPublicIp?: boolean;
  vpcId?: string;
}

async function launch(o: Launch): Promise<string> {
  const td = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: uniq("prefect-start"),
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      executionRoleArn: o.executionRoleArn,
      containerDefinitions: [
        {
          name: "app",
          image: o.image ?? "prefecthq/prefect:3.6.22-python3.12",
          essential: true,
          memoryReservation: 256,
          command: ["prefect", "version"],
          secrets: o.secrets,
        },
      ],
    }),
  );
  const sg = await c.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: uniq("start"), Description: "t", VpcId: o.vpcId ?? sandboxEnv("SANDBOX_VPC_ID") }),
  );
  const r = await c.ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      launchType: "FARGATE",
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: o.subnets ?? sandboxEnv("SANDBOX_PRIVATE_SUBNETS").split(","),
          securityGroups: [sg.GroupId ?? ""],
          assignPublicIp: o.assignPublicIp ? "ENABLED" : "DISABLED",
        },
      },
    }),
  );
  const arn = r.tasks?.[0]?.taskArn;
  if (!arn) throw new Error(`RunTask started nothing: ${JSON.stringify(r.failures)}`);
  return arn;
}

const describeTask = async (arn: string): Promise<Task | undefined> =>
  (await c.ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] }))).tasks?.[0];
const stopped = (arn: string) =>
  until(`task ${arn} STOPPED`, async () => ((await describeTask(arn))?.lastStatus === "STOPPED" ? describeTask(arn) : undefined), 20_000);
const running = (arn: string) =>
  until(
    `task ${arn} RUNNING`,
    async () => {
      const t = await describeTask(arn);
      if (t?.lastStatus === "STOPPED") throw new Error(`stopped instead: ${t.stoppedReason}`);
      return t?.lastStatus === "RUNNING";
    },
    20_000,
  );

/** A secret and an execution role that may read it (created long enough ago for ECS to assume). */
async function readableSecret(value = "s3cret") {
  const secret = await sm.send(new CreateSecretCommand({ Name: uniq("prefect/db"), SecretString: value }));
  const role = await executionRole(c, [secret.ARN ?? ""]);
  await roleReady(role.createdAt);
  return { secretArn: secret.ARN ?? "", secretName: secret.Name ?? "", roleArn: role.arn };
}

describe("ECS task start: secrets", () => {
  it("a secret referenced by its bare name is read as an SSM parameter and the task fails to start", async () => {
    const { secretName, roleArn } = await readableSecret();
    const t = await stopped(await launch({ executionRoleArn: roleArn, secrets: [{ name: "DB", valueFrom: secretName }] }));
    expect(t?.stopCode).toBe("TaskFailedToStart");
    expect(t?.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*unable to retrieve secrets from ssm/,
    );
    expect(t?.startedAt).toBeUndefined();
  });

  it("a secret referenced by ARN (and by ARN with a JSON key) that the execution role may read starts", async () => {
    const { secretArn, roleArn } = await readableSecret(JSON.stringify({ password: "pw" }));
    const arn = await launch({
      executionRoleArn: roleArn,
      secrets: [
        { name: "DB", valueFrom: secretArn },
        { name: "DB_PASSWORD", valueFrom: `${secretArn}:password::` },
      ],
    });
    await running(arn);
  });

  it("a JSON key the secret does not have fails to start", async () => {
    const { secretArn, roleArn } = await readableSecret(JSON.stringify({ password: "pw" }));
    const t = await stopped(await launch({ executionRoleArn: roleArn, secrets: [{ name: "X", valueFrom: `${secretArn}:nope::` }] }));
    expect(t?.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*did not contain json key nope/,
    );
  });

  it("an SSM parameter by name starts when the execution role may read it", async () => {
    const name = uniq("/prefect/param");
    await ssm.send(new PutParameterCommand({ Name: name, Value: "v", Type: "SecureString" }));
    const role = await executionRole(c);
    await c.iam.send(
      new PutRolePolicyCommand({
        RoleName: role.arn.split("/").pop(),
        PolicyName: "ssm",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "ssm:GetParameters", Resource: `arn:aws:ssm:${region}:*:parameter/prefect/*` }],
        }),
      }),
    );
    await roleReady(role.createdAt);
    await running(await launch({ executionRoleArn: role.arn, secrets: [{ name: "P", valueFrom: name }] }));
  });
});

describe("ECS task start: the execution role", () => {
  it("an execution role without secretsmanager:GetSecretValue on the secret fails with AccessDeniedException", async () => {
    const secret = await sm.send(new CreateSecretCommand({ Name: uniq("prefect/db"), SecretString: "x" }));
    const role = await executionRole(c, [`arn:aws:secretsmanager:${region}:123456789012:secret:some-other-*`]);
    await roleReady(role.createdAt);
    const t = await stopped(await launch({ executionRoleArn: role.arn, secrets: [{ name: "DB", valueFrom: secret.ARN ?? "" }] }));
    expect(t?.stopCode).toBe("TaskFailedToStart");
    expect(t?.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*AccessDeniedException: .* is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:/,
    );
  });

  it("an explicit Deny wins over an Allow", async () => {
    const secret = await sm.send(new CreateSecretCommand({ Name: uniq("prefect/db"), SecretString: "x" }));
    const role = await executionRole(c, ["*"]);
    await c.iam.send(
      new PutRolePolicyCommand({
        RoleName: role.arn.split("/").pop(),
        PolicyName: "deny",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "secretsmanager:*", Resource: secret.ARN }],
        }),
      }),
    );
    await roleReady(role.createdAt);
    const t = await stopped(await launch({ executionRoleArn: role.arn, secrets: [{ name: "DB", valueFrom: secret.ARN ?? "" }] }));
    expect(t?.stoppedReason).toMatch(/AccessDeniedException/);
  });

  it("a role created seconds ago cannot be assumed yet (IAM propagation); the same role works a little later", async () => {
    const name = uniq("prefect-exec-new");
    const role = await c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ECS_TASKS_TRUST }));
    const t = await stopped(await launch({ executionRoleArn: role.Role?.Arn }));
    expect(t?.stopCode).toBe("TaskFailedToStart");
    expect(t?.stoppedReason).toBe(
      `ECS was unable to assume the role '${role.Role?.Arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`,
    );
    await roleReady(role.Role?.CreateDate?.getTime() ?? Date.now());
    await running(await launch({ executionRoleArn: role.Role?.Arn }));
  });

  it("a role that does not trust ecs-tasks.amazonaws.com is never assumed", async () => {
    const role = await c.iam.send(
      new CreateRoleCommand({
        RoleName: uniq("prefect-exec-ec2"),
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    await roleReady(role.Role?.CreateDate?.getTime() ?? Date.now());
    const t = await stopped(await launch({ executionRoleArn: role.Role?.Arn }));
    expect(t?.stoppedReason).toMatch(/^ECS was unable to assume the role/);
  });
});

describe("ECS task start: egress for the image", () => {
  it("a private subnet without a NAT route cannot pull from Docker Hub (i/o timeout)", async () => {
    const t = await stopped(
      await launch({ vpcId: sandboxEnv("SANDBOX_ISOLATED_VPC_ID"), subnets: sandboxEnv("SANDBOX_ISOLATED_SUBNETS").split(",") }),
    );
    expect(t?.stopCode).toBe("TaskFailedToStart");
    expect(t?.stoppedReason).toMatch(
      /^CannotPullContainerError: pull image manifest has been retried 5 time\(s\): failed to resolve ref docker\.io\/prefecthq\/prefect:3\.6\.22-python3\.12: .*i\/o timeout$/,
    );
  });

  it("a private subnet with a NAT route pulls (the seeded production VPC)", async () => {
    await running(await launch({}));
  });

  it("a public subnet needs assignPublicIp ENABLED", async () => {
    const subnets = sandboxEnv("SANDBOX_NONAT_PUBLIC_SUBNETS").split(",");
    const vpcId = sandboxEnv("SANDBOX_NONAT_VPC_ID");
    const t = await stopped(await launch({ vpcId, subnets, assignPublicIp: false }));
    expect(t?.stoppedReason).toMatch(/^CannotPullContainerError: .*i\/o timeout$/);
    await running(await launch({ vpcId, subnets, assignPublicIp: true }));
  });

  it("VPC endpoints reach ECR (and Secrets Manager), never Docker Hub", async () => {
    const vpcId = sandboxEnv("SANDBOX_NONAT_VPC_ID");
    const subnets = sandboxEnv("SANDBOX_NONAT_PRIVATE_SUBNETS").split(",");
    const { secretArn, roleArn } = await readableSecret();
    // Without endpoints, the secret cannot even be fetched.
    const before = await stopped(
      await launch({ vpcId, subnets, executionRoleArn: roleArn, secrets: [{ name: "S", valueFrom: secretArn }] }),
    );
    expect(before?.stoppedReason).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: .*secretsmanager.*i\/o timeout/,
    );

    const rts = await c.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnets[0] ?? ""] }] }),
    );
    // The endpoints go again at the end: other tests (the product's topologies) use this VPC as one without egress.
    const endpointIds: string[] = [];
    const keep = (r: { VpcEndpoint?: { VpcEndpointId?: string } }) =>
      void (r.VpcEndpoint?.VpcEndpointId && endpointIds.push(r.VpcEndpoint.VpcEndpointId));
    try {
      for (const svc of ["ecr.api", "ecr.dkr", "secretsmanager", "logs"]) {
        keep(
          await c.ec2.send(
            new CreateVpcEndpointCommand({
              VpcId: vpcId,
              ServiceName: `com.amazonaws.${region}.${svc}`,
              VpcEndpointType: "Interface",
              SubnetIds: subnets,
            }),
          ),
        );
      }
      keep(
        await c.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: vpcId,
            ServiceName: `com.amazonaws.${region}.s3`,
            VpcEndpointType: "Gateway",
            RouteTableIds: (rts.RouteTables ?? []).flatMap((r) => (r.RouteTableId ? [r.RouteTableId] : [])),
          }),
        ),
      );
      const ecrImage = `123456789012.dkr.ecr.${region}.amazonaws.com/prefect:3.6.22-python3.12`;
      const secrets = [{ name: "S", valueFrom: secretArn }];
      await running(await launch({ vpcId, subnets, executionRoleArn: roleArn, secrets, image: ecrImage }));
      const hub = await stopped(await launch({ vpcId, subnets, executionRoleArn: roleArn, secrets }));
      expect(hub?.stoppedReason).toMatch(/^CannotPullContainerError: .*registry-1\.docker\.io.*i\/o timeout$/);
    } finally {
      if (endpointIds.length) await c.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: endpointIds }));
    }
  });
});

describe("ECS task start: services", () => {
  it("a service whose tasks cannot start trips the circuit breaker", async () => {
    const s = await minimalStack(c);
    const role = await executionRole(c);
    await roleReady(role.createdAt);
    const td = await c.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: uniq("prefect-bad-secret"),
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        executionRoleArn: role.arn,
        containerDefinitions: [
          {
            name: "prefect-server",
            image: "prefecthq/prefect:3.6.22-python3.12",
            memoryReservation: 256,
            command: ["prefect", "server", "start"],
            secrets: [{ name: "PREFECT_API_DATABASE_CONNECTION_URL", valueFrom: "prefect/database-url" }],
          },
        ],
      }),
    );
    await s.createService("prefect-server", td.taskDefinition?.taskDefinitionArn ?? "", 1);
    const svc = await until(
      "deployment FAILED",
      async () => {
        const r = await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }));
        const d = r.services?.[0]?.deployments?.find((x) => x.status === "PRIMARY");
        return d?.rolloutState === "FAILED" ? d : undefined;
      },
      30_000,
    );
    expect(svc.failedTasks).toBeGreaterThanOrEqual(3);
  });
});
