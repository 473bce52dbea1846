// Item 7: the console runs as an IAM user holding exactly docs/iam-policy.json. What the policy allows works; what
// it does not is AccessDenied in each service's own error shape, as on AWS. The administrator is not limited.
import { describe, expect, it } from "vitest";
import { CreateSecurityGroupCommand, DeleteSecurityGroupCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { CreateRoleCommand, CreateServiceLinkedRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateLogGroupCommand, CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CreateDBSubnetGroupCommand, RDSClient } from "@aws-sdk/client-rds";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { adminConfig, consoleConfig, sandboxEnv, uniq } from "@/test/fixtures/sandbox";

const USER = "arn:aws:iam::123456789012:user/prefect-console";

describe("the console's IAM policy, enforced", () => {
  const as = consoleConfig();

  it("the console acts as the prefect-console user", async () => {
    const me = await new STSClient(as).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(USER);
  });

  it("ECS: prefect-* clusters yes, others AccessDeniedException", async () => {
    const ecs = new ECSClient(as);
    const ok = await ecs.send(new CreateClusterCommand({ clusterName: uniq("prefect-iam") }));
    expect(ok.cluster?.status).toBe("ACTIVE");
    const name = uniq("billing");
    await expect(ecs.send(new CreateClusterCommand({ clusterName: name }))).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: `User: ${USER} is not authorized to perform: ecs:CreateCluster on resource: arn:aws:ecs:us-east-1:123456789012:cluster/${name} because no identity-based policy allows the ecs:CreateCluster action`,
    });
    // The administrator is not limited by the console's policy.
    expect((await new ECSClient(adminConfig()).send(new CreateClusterCommand({ clusterName: name }))).cluster?.clusterName).toBe(name);
  });

  it("task definitions may pass only prefect-* roles to ECS tasks (iam:PassRole)", async () => {
    const ecs = new ECSClient(as);
    const td = (role: string) =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: uniq("prefect-iam"),
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "512",
          executionRoleArn: `arn:aws:iam::123456789012:role/${role}`,
          containerDefinitions: [{ name: "c", image: "prefecthq/prefect:3.6.29-python3.12", memoryReservation: 256 }],
        }),
      );
    expect((await td("prefect-ecs-execution-x")).taskDefinition?.family).toMatch(/^prefect-iam/);
    await expect(td("OrganizationAdmin")).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: expect.stringContaining("iam:PassRole on resource: arn:aws:iam::123456789012:role/OrganizationAdmin"),
    });
  });

  it("Secrets Manager, Logs, RDS: stack names only", async () => {
    const sm = new SecretsManagerClient(as);
    expect((await sm.send(new CreateSecretCommand({ Name: uniq("prefect/iam"), SecretString: "v" }))).ARN).toBeDefined();
    await expect(sm.send(new CreateSecretCommand({ Name: uniq("payroll/db"), SecretString: "v" }))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    const logs = new CloudWatchLogsClient(as);
    await logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/${uniq("prefect-iam")}` }));
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: `/aws/lambda/${uniq("x")}` }))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    const rds = new RDSClient(as);
    const subnets = sandboxEnv("SANDBOX_PRIVATE_SUBNETS").split(",");
    await rds.send(
      new CreateDBSubnetGroupCommand({ DBSubnetGroupName: uniq("prefect-iam"), DBSubnetGroupDescription: "d", SubnetIds: subnets }),
    );
    await expect(
      rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: uniq("other"), DBSubnetGroupDescription: "d", SubnetIds: subnets })),
    ).rejects.toMatchObject({ name: "AccessDenied", message: expect.stringContaining("rds:CreateDBSubnetGroup") });
  });

  it("EC2: security groups created with the stack tag may be changed and deleted; untagged ones may not", async () => {
    const ec2 = new EC2Client(as);
    const vpc = sandboxEnv("SANDBOX_VPC_ID");
    expect((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpc] }))).Vpcs).toHaveLength(1);
    await expect(
      ec2.send(new CreateSecurityGroupCommand({ GroupName: uniq("prefect-iam"), Description: "d", VpcId: vpc })),
    ).rejects.toMatchObject({
      name: "UnauthorizedOperation",
      message: expect.stringContaining("ec2:CreateSecurityGroup"),
    });
    const tagged = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: uniq("prefect-iam"),
        Description: "d",
        VpcId: vpc,
        TagSpecifications: [{ ResourceType: "security-group", Tags: [{ Key: "prefect-console:stack", Value: "iam" }] }],
      }),
    );
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: tagged.GroupId }));
    const foreign = await new EC2Client(adminConfig()).send(
      new CreateSecurityGroupCommand({ GroupName: uniq("other"), Description: "d", VpcId: vpc }),
    );
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: foreign.GroupId }))).rejects.toMatchObject({
      name: "UnauthorizedOperation",
    });
  });

  it("IAM: prefect-* roles and the stack's service-linked roles only", async () => {
    const iam = new IAMClient(as);
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(
      (await iam.send(new CreateRoleCommand({ RoleName: uniq("prefect-ecs-iam"), AssumeRolePolicyDocument: trust }))).Role,
    ).toBeDefined();
    await expect(iam.send(new CreateRoleCommand({ RoleName: uniq("admin"), AssumeRolePolicyDocument: trust }))).rejects.toMatchObject({
      name: "AccessDenied",
    });
    await expect(iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "lambda.amazonaws.com" }))).rejects.toMatchObject({
      name: "AccessDenied",
    });
    expect(
      (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "elasticloadbalancing.amazonaws.com" }))).Role?.Path,
    ).toContain("aws-service-role");
  });
});
