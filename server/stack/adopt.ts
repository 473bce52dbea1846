import "server-only";
import { stackNames } from "@/lib/names";
import { defaultSpec, DB_INSTANCE_CLASSES, stackSpecSchema, type Region, type StackSpec } from "@/lib/stack-spec";
import { isValidFargatePair } from "@/lib/fargate";
import { clampTo, SPEC_LIMITS } from "@/lib/stack-limits";
import { UserError } from "@/server/errors";
import { describeServices, describeTaskDefinition } from "@/server/aws/ecs";
import { findSecurityGroup } from "@/server/aws/ec2";
import { findLoadBalancer } from "@/server/aws/elbv2";
import { findDbInstance } from "@/server/aws/rds";
import { findCluster } from "@/server/aws/ecs";
import { rulesOf } from "./resources/security-groups";

// Adopt: a stack the seed's Terraform made (same names) becomes a console stack. Its current settings are read
// back into a StackSpec (network from the ALB and the DB subnet group, sizes from the task definition and the DB),
// so the first plan shows only what the console adds beyond the seed.

export interface Discovery {
  spec: StackSpec;
  found: string[];
  missing: string[];
}

export async function discoverStack(env: string, region: Region): Promise<Discovery> {
  const n = stackNames(env);
  const found: string[] = [];
  const missing: string[] = [];
  const note = (what: string, ok: unknown) => (ok ? found : missing).push(what);

  const [lb, db, clusterInfo] = await Promise.all([
    findLoadBalancer(region, n.alb),
    findDbInstance(region, n.dbInstance),
    findCluster(region, n.cluster),
  ]);
  note(`load balancer ${n.alb}`, lb);
  note(`database ${n.dbInstance}`, db);
  note(`cluster ${n.cluster}`, clusterInfo);
  const vpcId = lb?.VpcId ?? db?.DBSubnetGroup?.VpcId;
  if (!vpcId)
    throw new UserError(
      `No load balancer or database named prefect-${env} was found in ${region}. Check the environment name and region.`,
      { env: [`Nothing named prefect-${env} in ${region}`] },
    );

  const publicSubnetIds = (lb?.AvailabilityZones ?? []).map((z) => z.SubnetId ?? "").filter(Boolean);
  // Private subnets: the DB subnet group's, else where the server service runs its tasks.
  let privateSubnetIds = (db?.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier ?? "").filter(Boolean);
  if (!privateSubnetIds.length && clusterInfo) {
    const { services } = await describeServices(region, n.cluster, [n.serverService]);
    privateSubnetIds = services[0]?.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  }
  const spec: StackSpec = defaultSpec({ env, region, vpcId, privateSubnetIds, publicSubnetIds });
  if (lb?.Scheme === "internet-facing") spec.albScheme = "internet-facing";

  const albSg = await findSecurityGroup(region, vpcId, n.albSecurityGroup);
  note(`security group ${n.albSecurityGroup}`, albSg);
  const cidrs = [
    ...new Set(
      rulesOf(albSg?.IpPermissions)
        .map((r) => r.split(":")[2] ?? "")
        .filter((c) => /^\d/.test(c)),
    ),
  ];
  if (cidrs.length) spec.allowedCidrs = cidrs;

  if (db) {
    const dbClass = DB_INSTANCE_CLASSES.find((c) => c === db.DBInstanceClass);
    if (dbClass) spec.dbInstanceClass = dbClass;
    spec.dbAllocatedStorage = db.AllocatedStorage ?? spec.dbAllocatedStorage;
    spec.dbMaxAllocatedStorage = db.MaxAllocatedStorage ?? 0;
    spec.dbMultiAz = Boolean(db.MultiAZ);
    spec.dbDeletionProtection = Boolean(db.DeletionProtection);
    spec.dbBackupRetentionDays = clampTo(SPEC_LIMITS.dbBackupRetentionDays, db.BackupRetentionPeriod ?? spec.dbBackupRetentionDays);
  }

  if (clusterInfo) {
    const { services } = await describeServices(region, n.cluster, [n.serverService]);
    const server = services[0];
    note(`service ${n.serverService}`, server);
    if (server?.taskDefinition) {
      const td = await describeTaskDefinition(region, server.taskDefinition);
      const cpu = Number(td.cpu);
      const mem = Number(td.memory);
      if (isValidFargatePair(cpu, mem)) {
        spec.serverCpu = cpu;
        spec.serverMemory = mem;
      }
      const image = td.containerDefinitions?.[0]?.image;
      if (image) spec.prefectImage = image;
    }
  }
  const parsed = stackSpecSchema.safeParse(spec);
  if (!parsed.success) {
    // e.g. a single-AZ subnet list: hand the spec to the form anyway, where each field shows what to fix.
    return { spec, found, missing };
  }
  return { spec: parsed.data, found, missing };
}
