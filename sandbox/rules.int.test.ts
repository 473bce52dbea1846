// Deleting and naming like AWS (rule table rows 6.x in sandbox/README.md): each rule refused with AWS's error, and
// the same call accepted once the rule is met. Driven with SDK clients through the product's endpoint.
import { afterEach, describe, expect, it } from "vitest";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { DeleteClusterCommand, DeleteServiceCommand, DescribeServicesCommand, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { CreateLoadBalancerCommand, CreateTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  type CreateDBInstanceCommandInput,
} from "@aws-sdk/client-rds";
import { CreateSecretCommand, DeleteSecretCommand, RestoreSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand as DeleteDiscoveryServiceCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { adminConfig, sandboxClients, sandboxEnv, uniq } from "@/test/fixtures/sandbox";
import { type MinimalStack, cleanupStacks, minimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";

const c = sandboxClients();

describe("names and values AWS rejects", () => {
  const db = (id: string, extra: Partial<CreateDBInstanceCommandInput> = {}) =>
    c.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: "db.t3.micro",
        Engine: "postgres",
        AllocatedStorage: 20,
        MasterUsername: "prefect",
        MasterUserPassword: "good-Passw0rd",
        ...extra,
      }),
    );

  it("RDS instance identifiers: letters, digits, single hyphens, not ending with a hyphen", async () => {
    const text = /not a valid identifier/;
    await expect(db(uniq("prefect").replace("-", "--"))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringMatching(text),
    });
    await expect(db(`${uniq("prefect")}-`)).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await expect(db(`1${uniq("prefect")}`)).rejects.toMatchObject({ name: "InvalidParameterValue" });
    const ok = await db(uniq("prefect-db"));
    expect(ok.DBInstance?.DBInstanceStatus).toBe("creating");
  });

  it("master passwords: 8–128 printable ASCII without / ' \" @ or space", async () => {
    await expect(db(uniq("prefect"), { MasterUserPassword: "pass@word-123" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message:
        "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.",
    });
    await expect(db(uniq("prefect"), { MasterUserPassword: "short" })).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.",
    });
    await expect(db(uniq("prefect"), { MasterUserPassword: "x".repeat(129) })).rejects.toMatchObject({ name: "InvalidParameterValue" });
    expect((await db(uniq("prefect"), { MasterUserPassword: "Ok-pass_word.123!" })).DBInstance).toBeDefined();
  });

  it("storage autoscaling: MaxAllocatedStorage ≥ 110 % of allocated; equal on modify turns it off", async () => {
    await expect(db(uniq("prefect"), { MaxAllocatedStorage: 21 })).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message: "Invalid max storage size for postgres",
    });
    const id = uniq("prefect");
    const created = await db(id, { MaxAllocatedStorage: 22 });
    expect(created.DBInstance?.MaxAllocatedStorage).toBe(22);
    await expect(c.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, MaxAllocatedStorage: 21 }))).rejects.toMatchObject({
      name: "InvalidParameterCombination",
    });
    await c.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, MaxAllocatedStorage: 20 }));
    const off = (await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
    expect(off?.AllocatedStorage).toBe(20);
    expect(off?.MaxAllocatedStorage).toBeUndefined();
  });

  it("DeleteDBInstance: a valid final snapshot identifier, or SkipFinalSnapshot", async () => {
    const id = uniq("prefect");
    await db(id);
    await expect(c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id }))).rejects.toMatchObject({
      name: "InvalidParameterCombination",
      message: "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
    });
    await expect(
      c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, FinalDBSnapshotIdentifier: `${id}--final` })),
    ).rejects.toMatchObject({ name: "InvalidParameterValue" });
    const deleted = await c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, FinalDBSnapshotIdentifier: `${id}-final` }));
    expect(deleted.DBInstance?.DBInstanceStatus).toBe("deleting");
  });

  it("RDS deletion protection refuses DeleteDBInstance until turned off", async () => {
    const id = uniq("prefect");
    await db(id, { DeletionProtection: true });
    await expect(c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }))).rejects.toMatchObject({
      name: "InvalidParameterCombination",
    });
    await c.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true }));
    expect((await c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }))).DBInstance).toBeDefined();
  });

  it("ALB and target group names: ≤ 32 letters, digits, hyphens, no hyphen at either end, no internal- prefix", async () => {
    const subnets = sandboxEnv("SANDBOX_PUBLIC_SUBNETS").split(",");
    const lb = (Name: string) => c.elb.send(new CreateLoadBalancerCommand({ Name, Subnets: subnets, Type: "application" }));
    await expect(lb(`prefect-${"x".repeat(26)}`)).rejects.toMatchObject({
      name: "ValidationError",
      message: expect.stringMatching(/longer than '32'/),
    });
    await expect(lb("-prefect")).rejects.toMatchObject({ name: "ValidationError", message: expect.stringMatching(/hyphen/) });
    await expect(lb("internal-prefect")).rejects.toMatchObject({ name: "ValidationError", message: expect.stringMatching(/internal-/) });
    await expect(lb("prefect_alb")).rejects.toMatchObject({ name: "ValidationError" });
    const name32 = uniq("prefect").padEnd(32, "x");
    expect((await lb(name32)).LoadBalancers?.[0]?.LoadBalancerName).toBe(name32);

    const tg = (Name: string) =>
      c.elb.send(
        new CreateTargetGroupCommand({ Name, Protocol: "HTTP", Port: 4200, VpcId: sandboxEnv("SANDBOX_VPC_ID"), TargetType: "ip" }),
      );
    await expect(tg(`prefect-${"x".repeat(26)}`)).rejects.toMatchObject({ name: "ValidationError" });
    await expect(tg("prefect-")).rejects.toMatchObject({ name: "ValidationError" });
    expect((await tg(name32)).TargetGroups?.[0]?.TargetGroupName).toBe(name32);
  });
});

/** A one-off worker task on the stack's private subnets and tasks' group (as the console's pool-creation task runs). */
const runStandaloneTask = (s: MinimalStack) =>
  c.ecs.send(
    new RunTaskCommand({
      cluster: s.cluster,
      taskDefinition: s.workerTaskDef,
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets: s.subnets, securityGroups: [s.securityGroup], assignPublicIp: "DISABLED" } },
    }),
  );

describe("deleting like AWS", () => {
  afterEach(cleanupStacks);
  const sm = new SecretsManagerClient(adminConfig());

  it("DeleteCluster is refused while a service is ACTIVE or DRAINING; the deleted service drains, then is INACTIVE", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-worker", s.workerTaskDef, 2);
    const describe1 = async () =>
      (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-worker"] }))).services?.[0];
    await until("2 running", async () => (await describe1())?.runningCount === 2 || undefined);
    const refusal = { name: "ClusterContainsServicesException", message: "The Cluster cannot be deleted while Services are active." };
    await expect(c.ecs.send(new DeleteClusterCommand({ cluster: s.cluster }))).rejects.toMatchObject(refusal);

    const deleted = await c.ecs.send(new DeleteServiceCommand({ cluster: s.cluster, service: "prefect-worker", force: true }));
    expect(deleted.service?.status).toBe("DRAINING");
    expect((await describe1())?.status).toBe("DRAINING");
    await expect(c.ecs.send(new DeleteClusterCommand({ cluster: s.cluster }))).rejects.toMatchObject(refusal);

    await until("INACTIVE", async () => (await describe1())?.status === "INACTIVE" || undefined);
    const gone = await c.ecs.send(new DeleteClusterCommand({ cluster: s.cluster }));
    expect(gone.cluster?.status).toBe("INACTIVE");
  });

  it("DeleteCluster is refused while a standalone task runs", async () => {
    const s = await minimalStack(c);
    const run = await runStandaloneTask(s);
    const taskArn = run.tasks?.[0]?.taskArn ?? "";
    await expect(c.ecs.send(new DeleteClusterCommand({ cluster: s.cluster }))).rejects.toMatchObject({
      name: "ClusterContainsTasksException",
      message: "The Cluster cannot be deleted while Tasks are active.",
    });
    await c.ecs.send(new StopTaskCommand({ cluster: s.cluster, task: taskArn }));
    await until(
      "cluster deletable",
      async () => (await c.ecs.send(new DeleteClusterCommand({ cluster: s.cluster }))).cluster?.status === "INACTIVE",
    );
  });

  it("CreateSecret is refused for a name scheduled for deletion until it is restored", async () => {
    const name = uniq("prefect/db-password");
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: "v1" }));
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    await expect(sm.send(new CreateSecretCommand({ Name: name, SecretString: "v2" }))).rejects.toMatchObject({
      name: "InvalidRequestException",
      message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
    });
    await sm.send(new RestoreSecretCommand({ SecretId: name }));
    await expect(sm.send(new CreateSecretCommand({ Name: name, SecretString: "v2" }))).rejects.toMatchObject({
      name: "ResourceExistsException",
    });
    const fresh = await sm.send(new CreateSecretCommand({ Name: uniq("prefect/db-password"), SecretString: "v" }));
    expect(fresh.ARN).toContain(":secret:prefect/db-password");
  });

  it("DeleteSecurityGroup is refused while another group's rule references it, until the rule is revoked", async () => {
    const vpc = sandboxEnv("SANDBOX_VPC_ID");
    const a = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: uniq("prefect-alb"), Description: "alb", VpcId: vpc }));
    const b = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: uniq("prefect-tasks"), Description: "tasks", VpcId: vpc }));
    const rule = { IpProtocol: "tcp", FromPort: 4200, ToPort: 4200, UserIdGroupPairs: [{ GroupId: a.GroupId }] };
    await c.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: b.GroupId, IpPermissions: [rule] }));
    await expect(c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: a.GroupId }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `resource ${a.GroupId} has a dependent object`,
    });
    await c.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: b.GroupId, IpPermissions: [rule] }));
    await c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: a.GroupId }));
    await c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: b.GroupId }));
  });

  it("DeleteSecurityGroup is refused while a task's ENI holds it; accepted once the ENI is released", async () => {
    const s = await minimalStack(c);
    const run = await runStandaloneTask(s);
    await expect(c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: s.securityGroup }))).rejects.toMatchObject({
      name: "DependencyViolation",
      message: `resource ${s.securityGroup} has a dependent object`,
    });
    await c.ecs.send(new StopTaskCommand({ cluster: s.cluster, task: run.tasks?.[0]?.taskArn ?? "" }));
    // The ENI lingers ~1 min (scaled) after the task stops (unit-tested in rules.test.ts), then the group goes.
    await until("group deletable", async () => {
      await c.ec2.send(new DeleteSecurityGroupCommand({ GroupId: s.securityGroup }));
      return true;
    });
  });
});

describe("listing like AWS", () => {
  it("Cloud Map ListServices honours the NAMESPACE_ID filter: two stacks' prefect-server services stay apart", async () => {
    const sd = new ServiceDiscoveryClient(adminConfig());
    const names = [uniq("rules-a"), uniq("rules-b")].map((n) => `${n}.local`);
    for (const Name of names) await sd.send(new CreatePrivateDnsNamespaceCommand({ Name, Vpc: sandboxEnv("SANDBOX_VPC_ID") }));
    const listed = (await sd.send(new ListNamespacesCommand({}))).Namespaces ?? [];
    const ids = names.map((n) => listed.find((ns) => ns.Name === n)?.Id ?? "");
    const services = [];
    for (const NamespaceId of ids) {
      const created = await sd.send(
        new CreateServiceCommand({ Name: "prefect-server", NamespaceId, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 10 }] } }),
      );
      services.push(created.Service?.Id ?? "");
    }
    const inNamespace = async (id: string) =>
      (await sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [id], Condition: "EQ" }] }))).Services ?? [];
    expect((await inNamespace(ids[0]!)).map((s) => s.Id)).toEqual([services[0]]);
    expect((await inNamespace(ids[1]!)).map((s) => s.Id)).toEqual([services[1]]);
    for (const Id of services) await sd.send(new DeleteDiscoveryServiceCommand({ Id }));
    expect(await inNamespace(ids[0]!)).toEqual([]);
    for (const Id of ids) await sd.send(new DeleteNamespaceCommand({ Id }));
  });
});
