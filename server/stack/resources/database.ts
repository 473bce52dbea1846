import "server-only";
import type { CreateDBInstanceCommandInput, DBInstance, DBSubnetGroup } from "@aws-sdk/client-rds";
import { stackTags } from "@/lib/names";
import { finalSnapshotName, stackSecretNames } from "@/lib/stack-names";
import {
  createDbInstance,
  createDbSubnetGroup,
  deleteDbInstance,
  deleteDbSubnetGroup,
  findDbInstance,
  findDbSnapshot,
  findDbSubnetGroup,
  modifyDbInstance,
  modifyDbSubnetGroup,
} from "@/server/aws/rds";
import { getSecretValue } from "@/server/aws/secrets";
import type { FieldChange } from "@/lib/plan";
import { defineResource, diffOf, ref, setChange, TerminalError, valueChange } from "../types";

// The seed's rds.tf: subnet group `prefect-<env>` over the private subnets, and PostgreSQL 15 on gp3, encrypted,
// 7-day backups (03:00-04:00), maintenance sun:04:00-05:00, final snapshot `prefect-<env>-final` on delete.
// Added: Multi-AZ, deletion protection, storage autoscaling (MaxAllocatedStorage), not publicly accessible.

interface SubnetGroupDesired {
  DBSubnetGroupName: string;
  SubnetIds: string[];
  Tags: Record<string, string>;
}

export const dbSubnetGroup = defineResource<SubnetGroupDesired, DBSubnetGroup>({
  key: "db-subnet-group",
  kind: "DB subnet group",
  group: "database",
  dependsOn: [],
  name: (ctx) => ctx.names.dbSubnetGroup,
  desired: (ctx) => ({
    DBSubnetGroupName: ctx.names.dbSubnetGroup,
    SubnetIds: [...ctx.spec.privateSubnetIds].sort(),
    Tags: stackTags(ctx.env, "rds"),
  }),
  observe: (ctx) => findDbSubnetGroup(ctx.region, ctx.names.dbSubnetGroup),
  diff: (d, o) =>
    diffOf([
      setChange(
        "subnets",
        d.SubnetIds,
        (o.Subnets ?? []).map((s) => s.SubnetIdentifier ?? ""),
      ),
    ]),
  create: (ctx, d) => createDbSubnetGroup(ctx.region, { name: d.DBSubnetGroupName, subnetIds: d.SubnetIds, tags: d.Tags }),
  update: (ctx, d) => modifyDbSubnetGroup(ctx.region, d.DBSubnetGroupName, d.SubnetIds),
  delete: (ctx, o) => deleteDbSubnetGroup(ctx.region, o.DBSubnetGroupName ?? ""),
  ready: () => true,
  outputs: (o) => ({ name: o.DBSubnetGroupName ?? "" }),
});

/** The create input without the password (added at create time from Secrets Manager). */
export type DbDesired = Omit<CreateDBInstanceCommandInput, "MasterUserPassword" | "Tags"> & { Tags: Record<string, string> };

/** Storage autoscaling's ceiling as the spec counts it: 0 when off (absent, or equal to the allocated storage). */
export function autoscalingMax(o: Pick<DBInstance, "MaxAllocatedStorage" | "AllocatedStorage">): number {
  const max = o.MaxAllocatedStorage ?? 0;
  return max === (o.AllocatedStorage ?? 0) ? 0 : max;
}

/**
 * MaxAllocatedStorage for ModifyDBInstance. The spec's 0 means "autoscaling off"; RDS has no 0: on an instance that
 * has it on, autoscaling is turned off by sending MaxAllocatedStorage equal to the allocated storage (RDS User Guide,
 * "Managing capacity automatically with Amazon RDS storage autoscaling"). Off and staying off: nothing is sent.
 */
export function maxStorageChange(
  d: Pick<CreateDBInstanceCommandInput, "MaxAllocatedStorage" | "AllocatedStorage">,
  o: Pick<DBInstance, "MaxAllocatedStorage" | "AllocatedStorage">,
): { MaxAllocatedStorage?: number } {
  if (d.MaxAllocatedStorage) return { MaxAllocatedStorage: d.MaxAllocatedStorage };
  if (autoscalingMax(o) === 0) return {};
  return { MaxAllocatedStorage: Math.max(d.AllocatedStorage ?? 0, o.AllocatedStorage ?? 0) };
}

export const dbInstance = defineResource<DbDesired, DBInstance>({
  key: "rds",
  kind: "RDS PostgreSQL",
  group: "database",
  dependsOn: ["secret-db-password", "db-subnet-group", "sg-rds"],
  name: (ctx) => ctx.names.dbInstance,
  desired: (ctx, refs) => ({
    DBInstanceIdentifier: ctx.names.dbInstance,
    Engine: "postgres",
    EngineVersion: "15",
    DBInstanceClass: ctx.spec.dbInstanceClass,
    AllocatedStorage: ctx.spec.dbAllocatedStorage,
    ...(ctx.spec.dbMaxAllocatedStorage > 0 ? { MaxAllocatedStorage: ctx.spec.dbMaxAllocatedStorage } : {}),
    StorageType: "gp3",
    StorageEncrypted: true,
    DBName: "prefect",
    MasterUsername: "prefect",
    DBSubnetGroupName: ref(refs, "db-subnet-group", "name"),
    VpcSecurityGroupIds: [ref(refs, "sg-rds", "groupId")],
    BackupRetentionPeriod: ctx.spec.dbBackupRetentionDays,
    PreferredBackupWindow: "03:00-04:00",
    // The seed's maintenance window (sun:04:00-05:00) touches its backup window at 04:00, which some RDS validators
    // reject as an overlap; half an hour later keeps both windows apart.
    PreferredMaintenanceWindow: "sun:04:30-sun:05:30",
    MultiAZ: ctx.spec.dbMultiAz,
    DeletionProtection: ctx.spec.dbDeletionProtection,
    PubliclyAccessible: false,
    CopyTagsToSnapshot: true,
    AutoMinorVersionUpgrade: true,
    Tags: { Name: ctx.names.dbInstance, ...stackTags(ctx.env, "rds") },
  }),
  observe: (ctx) =>
    findDbInstance(ctx.region, ctx.names.dbInstance).then((db) => (db && db.DBInstanceStatus !== "deleting" ? db : undefined)),
  diff: (d, o) => {
    const notes: string[] = [];
    // A modification in flight shows in PendingModifiedValues until RDS applies it: compare with what it will be.
    const pending = o.PendingModifiedValues ?? {};
    const changes: (FieldChange | undefined)[] = [
      valueChange("instance class", d.DBInstanceClass, pending.DBInstanceClass ?? o.DBInstanceClass),
      valueChange("Multi-AZ", d.MultiAZ, pending.MultiAZ ?? o.MultiAZ),
      valueChange("deletion protection", d.DeletionProtection, o.DeletionProtection),
      valueChange("backup retention (days)", d.BackupRetentionPeriod, pending.BackupRetentionPeriod ?? o.BackupRetentionPeriod),
      valueChange("max storage (GB)", d.MaxAllocatedStorage ?? 0, autoscalingMax(o)),
      d.VpcSecurityGroupIds?.[0]?.startsWith("sg-")
        ? setChange(
            "security groups",
            d.VpcSecurityGroupIds ?? [],
            (o.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? ""),
          )
        : undefined,
    ];
    const storage = pending.AllocatedStorage ?? o.AllocatedStorage ?? 0;
    if ((d.AllocatedStorage ?? 0) > storage) changes.push(valueChange("storage (GB)", d.AllocatedStorage, storage));
    if ((d.AllocatedStorage ?? 0) < (o.AllocatedStorage ?? 0))
      notes.push(`RDS storage cannot shrink: it stays at ${o.AllocatedStorage} GB.`);
    if (o.StorageEncrypted === false)
      notes.push("The database is not encrypted at rest; encryption can only be added by restoring an encrypted snapshot copy.");
    if (o.EngineVersion && !o.EngineVersion.startsWith("15") && !/^1[6-9]/.test(o.EngineVersion))
      notes.push(`PostgreSQL ${o.EngineVersion} is older than the 15 the stack wants; upgrade it in a maintenance window.`);
    return diffOf(changes, notes);
  },
  create: async (ctx, d) => {
    if (await findDbInstance(ctx.region, d.DBInstanceIdentifier ?? "")) return; // a retried step: it exists already
    const password = await getSecretValue(ctx.region, stackSecretNames(ctx.env).dbPassword);
    const { Tags, ...rest } = d;
    await createDbInstance(ctx.region, {
      ...rest,
      MasterUserPassword: password,
      Tags: Object.entries(Tags).map(([Key, Value]) => ({ Key, Value })),
    });
  },
  update: async (ctx, d, o) => {
    if (o.DBInstanceStatus !== "available")
      throw new TerminalError(
        `The database is ${o.DBInstanceStatus}; the console changes it only when it is available. Apply again later.`,
      );
    await modifyDbInstance(ctx.region, {
      DBInstanceIdentifier: d.DBInstanceIdentifier,
      DBInstanceClass: d.DBInstanceClass,
      MultiAZ: d.MultiAZ,
      DeletionProtection: d.DeletionProtection,
      BackupRetentionPeriod: d.BackupRetentionPeriod,
      ...maxStorageChange(d, o),
      ...((d.AllocatedStorage ?? 0) > (o.AllocatedStorage ?? 0) ? { AllocatedStorage: d.AllocatedStorage } : {}),
      VpcSecurityGroupIds: d.VpcSecurityGroupIds,
      // aws rds modify-db-instance --apply-immediately | --no-apply-immediately: without it, RDS keeps the change in
      // PendingModifiedValues until the maintenance window; diff() compares with those, so a re-plan stays empty.
      ApplyImmediately: ctx.spec.dbApplyImmediately,
    });
  },
  delete: async (ctx, o) => {
    if (o.DeletionProtection)
      throw new TerminalError(
        `Deletion protection is on for ${o.DBInstanceIdentifier}. Turn it off in the stack's spec (Edit spec → Database → Deletion protection), apply, then destroy again.`,
      );
    let snapshot = finalSnapshotName(ctx.env);
    // A second destroy of a re-created stack must not collide with the first one's final snapshot.
    if (await findDbSnapshot(ctx.region, snapshot)) snapshot = `${snapshot}-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
    await deleteDbInstance(ctx.region, o.DBInstanceIdentifier ?? "", snapshot);
  },
  // Dependants of the instance (the subnet group, the security group) can go only once it has fully gone.
  gone: async (ctx) => (await findDbInstance(ctx.region, ctx.names.dbInstance)) === undefined,
  ready: (o) => (o.DBInstanceStatus === "available" ? true : `database ${o.DBInstanceStatus ?? "starting"}`),
  outputs: (o) => ({ endpoint: o.Endpoint?.Address ? `${o.Endpoint.Address}:${o.Endpoint.Port ?? 5432}` : "", arn: o.DBInstanceArn ?? "" }),
  status: (o) => o.DBInstanceStatus ?? "unknown",
});
