// Helpers for the sandbox's own integration tests: SDK clients on the product's endpoint (the proxy), a minimal
// Prefect-like stack built with the SDK (VPC from the seed, ALB, target group, cluster, task definitions, service),
// and polling with a deadline.
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  ECSClient,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
  type DeploymentConfiguration,
} from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { randomBytes } from "node:crypto";

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through the vitest "integration" project (test/global-sandbox.ts)`);
  return v;
}

/**
 * SDK settings for the sandbox's own tests: the product's endpoint (the AWS proxy), signed as the account's
 * administrator. The console's IAM user (AWS_ACCESS_KEY_ID in the environment) is evaluated against its policy.
 */
export function adminConfig() {
  return {
    region: env("AWS_REGION"),
    endpoint: env("AWS_ENDPOINT_URL"),
    credentials: { accessKeyId: env("SANDBOX_ADMIN_ACCESS_KEY_ID"), secretAccessKey: env("SANDBOX_ADMIN_SECRET_ACCESS_KEY") },
  };
}

/** SDK settings signed as the console's IAM user (docs/iam-policy.json), as the product runs. */
export function consoleConfig() {
  return {
    region: env("AWS_REGION"),
    endpoint: env("AWS_ENDPOINT_URL"),
    credentials: { accessKeyId: env("AWS_ACCESS_KEY_ID"), secretAccessKey: env("AWS_SECRET_ACCESS_KEY") },
  };
}

export function clients(extra: Record<string, unknown> = {}) {
  const cfg = { ...adminConfig(), ...extra };
  return {
    ec2: new EC2Client(cfg),
    ecs: new ECSClient(cfg),
    elb: new ElasticLoadBalancingV2Client(cfg),
    logs: new CloudWatchLogsClient(cfg),
    cw: new CloudWatchClient(cfg),
    rds: new RDSClient(cfg),
    iam: new IAMClient(cfg),
  };
}

/** The trust policy of a role ECS tasks use. */
export const ECS_TASKS_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * An execution role as the product makes one: AmazonECSTaskExecutionRolePolicy (image pull, logs), plus
 * secretsmanager:GetSecretValue on `secretArns` when given. Returns its ARN and when it was created.
 */
export async function executionRole(c: ReturnType<typeof clients>, secretArns: string[] = []): Promise<{ arn: string; createdAt: number }> {
  const name = uniq("prefect-exec");
  const r = await c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ECS_TASKS_TRUST }));
  await c.iam.send(
    new AttachRolePolicyCommand({ RoleName: name, PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }),
  );
  if (secretArns.length > 0) {
    await c.iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: "read-secrets",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns }],
        }),
      }),
    );
  }
  return { arn: r.Role?.Arn ?? "", createdAt: r.Role?.CreateDate?.getTime() ?? Date.now() };
}

/**
 * Wait until ECS can assume a role created at `createdAt` (IAM propagation: a scaled ~10 s, at least two simulator
 * ticks; physics/task-start.ts), as a careful client retries or waits on AWS.
 */
export async function roleReady(createdAt: number): Promise<void> {
  const windowMs = Math.max(10_000 / Number(env("SANDBOX_TIME_SCALE")), 2 * Number(env("SANDBOX_TICK_MS")));
  const left = createdAt + windowMs + 50 - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

export const uniq = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  // Say what the simulator was doing: its last tick error is usually the reason.
  const state = (await admin("/state").catch(() => undefined)) as { ticks?: number; lastTickError?: string | null } | undefined;
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${String(last)}` : ""} (sandbox ticks ${state?.ticks}, last tick error: ${state?.lastTickError ?? "none"})`,
  );
}

export async function admin(path: string, method = "GET", body?: unknown): Promise<unknown> {
  const r = await fetch(`${env("SANDBOX_ADMIN_URL")}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`admin ${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const created: { c: ReturnType<typeof clients>; cluster: string }[] = [];
let motoEcsClient: ECSClient | undefined;
const motoEcs = () =>
  (motoEcsClient ??= new ECSClient({
    region: env("AWS_REGION"),
    endpoint: env("SANDBOX_MOTO_ENDPOINT"),
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  }));

/**
 * Delete the clusters the test created (services first), so the one shared sandbox does not keep simulating them
 * for the rest of the run. Call from afterEach.
 */
export async function cleanupStacks(): Promise<void> {
  for (const { c, cluster } of created.splice(0)) {
    const services = (await c.ecs.send(new ListServicesCommand({ cluster })).catch(() => undefined))?.serviceArns ?? [];
    for (const service of services) await c.ecs.send(new DeleteServiceCommand({ cluster, service, force: true })).catch(() => undefined);
    // AWS refuses DeleteCluster while tasks drain; housekeeping removes it in moto directly so the shared sandbox
    // stops simulating it now.
    await motoEcs()
      .send(new DeleteClusterCommand({ cluster }))
      .catch(() => undefined);
  }
}

export interface MiniStack {
  env: string;
  cluster: string;
  logGroup: string;
  serverTaskDef: string;
  workerTaskDef: string;
  targetGroupArn: string;
  loadBalancerArn: string;
  dnsName: string;
  subnets: string[];
  securityGroup: string;
  createService(
    name: string,
    taskDefinition: string,
    desired: number,
    opts?: { lb?: boolean; deploymentConfiguration?: DeploymentConfiguration; registryArn?: string },
  ): Promise<void>;
  registerServer(command?: string[]): Promise<string>;
  /** A worker task definition whose PREFECT_API_URL is `apiUrl` (default: the public ALB's name). */
  registerWorker(apiUrl?: string): Promise<string>;
  /** The ALB's security group (admits TCP 80 from 0.0.0.0/0). */
  albSecurityGroup: string;
}

/** A stack shaped like the product's: cluster prefect-<env>, log group /ecs/prefect-<env>, server behind an ALB. */
export async function miniStack(
  c: ReturnType<typeof clients>,
  opts: { pool?: string; secretArn?: string; serverSecrets?: { name: string; valueFrom: string }[] } = {},
): Promise<MiniStack> {
  const name = uniq("t");
  const cluster = `prefect-${name}`;
  const logGroup = `/ecs/prefect-${name}`;
  const vpcId = env("SANDBOX_VPC_ID");
  const subnets = env("SANDBOX_PRIVATE_SUBNETS").split(",");
  const publicSubnets = env("SANDBOX_PUBLIC_SUBNETS").split(",");
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
  await c.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  created.push({ c, cluster });
  // The execution role may read exactly the server's secrets (their ARNs without a `:json-key:…` suffix).
  const secretArns = [opts.secretArn, ...(opts.serverSecrets ?? []).map((x) => x.valueFrom)].flatMap((v) =>
    v ? [v.split(":").slice(0, 7).join(":")] : [],
  );
  const execRole = await executionRole(c, secretArns);
  const sg = await c.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `prefect-ecs-tasks-${name}`, Description: "tasks", VpcId: vpcId }),
  );
  // The public ALB admits HTTP from anywhere: the worker calls it through the NAT gateway's Elastic IP.
  const albSg = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: `prefect-alb-${name}`, Description: "alb", VpcId: vpcId }));
  await c.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: albSg.GroupId,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
    }),
  );
  const lb = await c.elb.send(
    new CreateLoadBalancerCommand({
      Name: `prefect-${name}`,
      Subnets: publicSubnets,
      SecurityGroups: [albSg.GroupId ?? ""],
      Type: "application",
      Scheme: "internet-facing",
    }),
  );
  const dnsName = lb.LoadBalancers?.[0]?.DNSName ?? "";
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
  const tg = await c.elb.send(
    new CreateTargetGroupCommand({
      Name: `prefect-${name}`,
      Protocol: "HTTP",
      Port: 4200,
      VpcId: vpcId,
      TargetType: "ip",
      HealthCheckPath: "/api/health",
      HealthCheckIntervalSeconds: 15,
      HealthyThresholdCount: 2,
    }),
  );
  const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
  await c.elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
    }),
  );

  const container = (cname: string, prefix: string, command: string[]) => ({
    name: cname,
    image: "prefecthq/prefect:3.4.11-python3.12",
    essential: true,
    memoryReservation: 512,
    command,
    portMappings: cname === "prefect-server" ? [{ containerPort: 4200 }] : [],
    secrets:
      cname === "prefect-server"
        ? [
            ...(opts.secretArn ? [{ name: "PREFECT_SERVER_API_AUTH_STRING", valueFrom: opts.secretArn }] : []),
            ...(opts.serverSecrets ?? []),
          ]
        : undefined,
    logConfiguration: {
      logDriver: "awslogs" as const,
      options: { "awslogs-group": logGroup, "awslogs-region": env("AWS_REGION"), "awslogs-stream-prefix": prefix },
    },
  });
  const registerServer = async (command = ["prefect", "server", "start", "--host", "0.0.0.0"]) => {
    const r = await c.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `prefect-server-${name}`,
        executionRoleArn: execRole.arn,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "512",
        memory: "1024",
        containerDefinitions: [container("prefect-server", "server", command)],
      }),
    );
    return r.taskDefinition?.taskDefinitionArn ?? "";
  };
  const serverTaskDef = await registerServer();
  const registerWorker = async (apiUrl = `http://${dnsName}/api`) => {
    const r = await c.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `prefect-worker-${name}`,
        executionRoleArn: execRole.arn,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          {
            ...container("prefect-worker", "worker", ["prefect", "worker", "start", "--pool", opts.pool ?? "production", "--type", "ecs"]),
            environment: [{ name: "PREFECT_API_URL", value: apiUrl }],
          },
        ],
      }),
    );
    return r.taskDefinition?.taskDefinitionArn ?? "";
  };
  const workerTaskDef = await registerWorker();
  const securityGroup = sg.GroupId ?? "";
  return {
    env: name,
    cluster,
    logGroup,
    serverTaskDef,
    workerTaskDef,
    targetGroupArn: tgArn,
    loadBalancerArn: lbArn,
    dnsName,
    subnets,
    securityGroup,
    albSecurityGroup: albSg.GroupId ?? "",
    registerServer,
    registerWorker,
    async createService(service, taskDefinition, desired, o = {}) {
      await roleReady(execRole.createdAt);
      await c.ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: service,
          taskDefinition,
          desiredCount: desired,
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets, securityGroups: [securityGroup], assignPublicIp: "DISABLED" } },
          loadBalancers: o.lb ? [{ targetGroupArn: tgArn, containerName: "prefect-server", containerPort: 4200 }] : undefined,
          serviceRegistries: o.registryArn ? [{ registryArn: o.registryArn }] : undefined,
          deploymentConfiguration: o.deploymentConfiguration ?? {
            deploymentCircuitBreaker: { enable: true, rollback: true },
            maximumPercent: 200,
            minimumHealthyPercent: 100,
          },
        }),
      );
    },
  };
}
