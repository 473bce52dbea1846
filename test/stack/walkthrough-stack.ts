import "server-only";
import { randomBytes } from "node:crypto";
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client, type IpPermission } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  waitUntilDBInstanceAvailable,
} from "@aws-sdk/client-rds";
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { adminConfig, sandboxEnv } from "@/test/fixtures/sandbox";

// The Terraform walkthrough's stack (../shared/seed/ecs-production-guide.txt: rds.tf, ecs.tf, alb.tf), made with the
// SDK call for call as its resources would be — including its flaw: the database password in the server task
// definition's plain environment. Used to prove that adopting such a stack keeps it working.

export interface WalkthroughStack {
  env: string;
  password: string;
}

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" } }],
});

export async function createWalkthroughStack(region: string): Promise<WalkthroughStack> {
  const env = `w${randomBytes(3).toString("hex")}`;
  // Terraform runs as the account's administrator, not as the console's IAM user (docs/iam-policy.json).
  const cfg = { ...adminConfig(), region };
  const vpcId = sandboxEnv("SANDBOX_VPC_ID");
  const privateSubnets = sandboxEnv("SANDBOX_PRIVATE_SUBNETS").split(",");
  const publicSubnets = sandboxEnv("SANDBOX_PUBLIC_SUBNETS").split(",");
  const ec2 = new EC2Client(cfg);
  const ecs = new ECSClient(cfg);
  const elb = new ElasticLoadBalancingV2Client(cfg);
  const rds = new RDSClient(cfg);
  const sm = new SecretsManagerClient(cfg);
  const iam = new IAMClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  // random_password { length = 32, special = false }
  const password = randomBytes(24)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 32);

  const sg = async (name: string, description: string, perms: IpPermission[]) => {
    // tags = { Name = name } plus the provider's default_tags (providers.tf), as Terraform sends them.
    const tags = { Project: "data-platform", ManagedBy: "terraform", Component: "prefect-server", Environment: env, Name: name };
    const id =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: name,
            Description: description,
            VpcId: vpcId,
            TagSpecifications: [{ ResourceType: "security-group", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
          }),
        )
      ).GroupId ?? "";
    if (perms.length) await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: perms }));
    return id;
  };
  const cidr = (port: number) => ({ IpProtocol: "tcp", FromPort: port, ToPort: port, IpRanges: [{ CidrIp: "10.0.0.0/8" }] });
  const from = (port: number, group: string) => ({
    IpProtocol: "tcp",
    FromPort: port,
    ToPort: port,
    UserIdGroupPairs: [{ GroupId: group }],
  });
  const albSg = await sg(`prefect-alb-${env}`, "Security group for Prefect ALB", [cidr(80), cidr(443)]);
  const tasksSg = await sg(`prefect-ecs-tasks-${env}`, "Security group for Prefect ECS tasks", [from(4200, albSg)]);
  const rdsSg = await sg(`prefect-rds-${env}`, "Security group for Prefect RDS", [from(5432, tasksSg)]);

  await rds.send(
    new CreateDBSubnetGroupCommand({ DBSubnetGroupName: `prefect-${env}`, DBSubnetGroupDescription: "prefect", SubnetIds: privateSubnets }),
  );
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: `prefect-${env}`,
      Engine: "postgres",
      EngineVersion: "15",
      DBInstanceClass: "db.t3.micro",
      AllocatedStorage: 20,
      MaxAllocatedStorage: 40,
      StorageType: "gp3",
      StorageEncrypted: true,
      DBName: "prefect",
      MasterUsername: "prefect",
      MasterUserPassword: password,
      DBSubnetGroupName: `prefect-${env}`,
      VpcSecurityGroupIds: [rdsSg],
      BackupRetentionPeriod: 7,
      PreferredBackupWindow: "03:00-04:00",
      // The walkthrough says sun:04:00-05:00; moto refuses a window that touches the backup window (docs/provisioning.md).
      PreferredMaintenanceWindow: "sun:04:30-sun:05:30",
    }),
  );

  // aws_secretsmanager_secret "prefect/rds-password" — one name per account and region (the reason the console uses
  // per-environment names); a previous run of this test may have left it, possibly scheduled for deletion.
  const existing = await sm.send(new DescribeSecretCommand({ SecretId: "prefect/rds-password" })).catch(() => undefined);
  if (existing?.DeletedDate) await sm.send(new RestoreSecretCommand({ SecretId: "prefect/rds-password" }));
  if (existing) await sm.send(new PutSecretValueCommand({ SecretId: "prefect/rds-password", SecretString: password }));
  else
    await sm.send(
      new CreateSecretCommand({ Name: "prefect/rds-password", Description: "Prefect RDS PostgreSQL password", SecretString: password }),
    );

  await ecs.send(new CreateClusterCommand({ clusterName: `prefect-${env}`, settings: [{ name: "containerInsights", value: "enabled" }] }));
  const exec = await iam.send(new CreateRoleCommand({ RoleName: `prefect-ecs-execution-${env}`, AssumeRolePolicyDocument: TRUST }));
  await iam.send(
    new AttachRolePolicyCommand({
      RoleName: `prefect-ecs-execution-${env}`,
      PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    }),
  );
  const task = await iam.send(new CreateRoleCommand({ RoleName: `prefect-ecs-task-${env}`, AssumeRolePolicyDocument: TRUST }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/prefect-${env}` }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: `/ecs/prefect-${env}`, retentionInDays: 30 }));

  await waitUntilDBInstanceAvailable(
    { client: rds, maxWaitTime: 120, minDelay: 1, maxDelay: 2 },
    { DBInstanceIdentifier: `prefect-${env}` },
  );
  const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `prefect-${env}` }));
  const endpoint = `${DBInstances?.[0]?.Endpoint?.Address}:${DBInstances?.[0]?.Endpoint?.Port}`;

  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `prefect-server-${env}`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "512",
      memory: "1024",
      executionRoleArn: exec.Role?.Arn,
      taskRoleArn: task.Role?.Arn,
      containerDefinitions: [
        {
          name: "prefect-server",
          image: "prefecthq/prefect:3-latest",
          command: ["prefect", "server", "start", "--host", "0.0.0.0"],
          environment: [
            // The walkthrough's flaw, on purpose: the password in plain text.
            { name: "PREFECT_API_DATABASE_CONNECTION_URL", value: `postgresql+asyncpg://prefect:${password}@${endpoint}/prefect` },
            { name: "PREFECT_SERVER_API_HOST", value: "0.0.0.0" },
            { name: "PREFECT_SERVER_API_PORT", value: "4200" },
          ],
          portMappings: [{ containerPort: 4200, protocol: "tcp" }],
          memoryReservation: 1024,
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": `/ecs/prefect-${env}`, "awslogs-region": region, "awslogs-stream-prefix": "server" },
          },
          healthCheck: {
            command: ["CMD-SHELL", "curl -f http://localhost:4200/api/health || exit 1"],
            interval: 30,
            timeout: 5,
            retries: 3,
            startPeriod: 60,
          },
        },
      ],
    }),
  );

  const lb = await elb.send(
    new CreateLoadBalancerCommand({
      Name: `prefect-${env}`,
      Scheme: "internal",
      Type: "application",
      SecurityGroups: [albSg],
      Subnets: publicSubnets,
    }),
  );
  const tg = await elb.send(
    new CreateTargetGroupCommand({
      Name: `prefect-${env}`,
      Port: 4200,
      Protocol: "HTTP",
      VpcId: vpcId,
      TargetType: "ip",
      HealthCheckEnabled: true,
      HealthyThresholdCount: 2,
      HealthCheckIntervalSeconds: 30,
      Matcher: { HttpCode: "200" },
      HealthCheckPath: "/api/health",
      HealthCheckPort: "traffic-port",
      HealthCheckTimeoutSeconds: 5,
      UnhealthyThresholdCount: 3,
    }),
  );
  const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      serviceName: "prefect-server",
      cluster: `prefect-${env}`,
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: 1,
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets: privateSubnets, securityGroups: [tasksSg], assignPublicIp: "DISABLED" } },
      loadBalancers: [{ targetGroupArn: tgArn, containerName: "prefect-server", containerPort: 4200 }],
    }),
  );
  return { env, password };
}
