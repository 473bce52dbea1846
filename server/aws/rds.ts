import "server-only";
import { DescribeDBInstancesCommand, RDSClient, type DBInstance } from "@aws-sdk/client-rds";
import { awsClient } from "./client";
import { aws, classifyAwsError } from "./errors";

// Thin RDS wrappers. Several engineers add functions here: add, don't restructure.

const rds = (region: string) => awsClient(RDSClient, region);

// aws rds describe-db-instances --db-instance-identifier ID  (missing → DBInstanceNotFound → undefined here)
export async function findDbInstance(region: string, id: string): Promise<DBInstance | undefined> {
  try {
    const out = await rds(region).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    return out.DBInstances?.[0];
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("rds:DescribeDBInstances", id, () => Promise.reject(err));
  }
}

// ── Provisioning (server/stack) ────────────────────────────────────────────────────────────────────────────────
import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBSnapshotsCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBInstanceCommand,
  ModifyDBSubnetGroupCommand,
  type CreateDBInstanceCommandInput,
  type DBSnapshot,
  type DBSubnetGroup,
  type ModifyDBInstanceCommandInput,
} from "@aws-sdk/client-rds";

// aws rds describe-db-subnet-groups --db-subnet-group-name N  (missing → undefined)
export async function findDbSubnetGroup(region: string, name: string): Promise<DBSubnetGroup | undefined> {
  try {
    const out = await rds(region).send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name }));
    return out.DBSubnetGroups?.[0];
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("rds:DescribeDBSubnetGroups", name, () => Promise.reject(err));
  }
}

// aws rds create-db-subnet-group --db-subnet-group-name N --subnet-ids … (subnets in ≥ 2 AZs)
export async function createDbSubnetGroup(
  region: string,
  input: { name: string; subnetIds: string[]; tags: Record<string, string> },
): Promise<void> {
  await aws("rds:CreateDBSubnetGroup", input.name, () =>
    rds(region).send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: input.name,
        DBSubnetGroupDescription: `Prefect ${input.name}`,
        SubnetIds: input.subnetIds,
        Tags: Object.entries({ Name: input.name, ...input.tags }).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
}

// aws rds modify-db-subnet-group --db-subnet-group-name N --subnet-ids …
export async function modifyDbSubnetGroup(region: string, name: string, subnetIds: string[]): Promise<void> {
  await aws("rds:ModifyDBSubnetGroup", name, () =>
    rds(region).send(new ModifyDBSubnetGroupCommand({ DBSubnetGroupName: name, SubnetIds: subnetIds })),
  );
}

// aws rds delete-db-subnet-group --db-subnet-group-name N  (InvalidDBSubnetGroupState while an instance uses it → retried)
export async function deleteDbSubnetGroup(region: string, name: string): Promise<void> {
  try {
    await rds(region).send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: name }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("rds:DeleteDBSubnetGroup", name, () => Promise.reject(err));
  }
}

// aws rds create-db-instance …  (the master password comes from Secrets Manager and is never logged)
export async function createDbInstance(region: string, input: CreateDBInstanceCommandInput): Promise<void> {
  await aws("rds:CreateDBInstance", input.DBInstanceIdentifier ?? "db", () => rds(region).send(new CreateDBInstanceCommand(input)));
}

// aws rds modify-db-instance --db-instance-identifier ID --apply-immediately …
export async function modifyDbInstance(region: string, input: ModifyDBInstanceCommandInput): Promise<void> {
  await aws("rds:ModifyDBInstance", input.DBInstanceIdentifier ?? "db", () => rds(region).send(new ModifyDBInstanceCommand(input)));
}

// aws rds delete-db-instance --db-instance-identifier ID --final-db-snapshot-identifier S --delete-automated-backups
// (the final snapshot is the copy that stays; automated backups go with the instance, as with Terraform's default)
export async function deleteDbInstance(region: string, id: string, finalSnapshotId: string): Promise<void> {
  try {
    await rds(region).send(
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: id,
        SkipFinalSnapshot: false,
        FinalDBSnapshotIdentifier: finalSnapshotId,
        DeleteAutomatedBackups: true,
      }),
    );
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("rds:DeleteDBInstance", id, () => Promise.reject(err));
  }
}

// aws rds describe-db-snapshots --db-snapshot-identifier S  (missing → undefined)
export async function findDbSnapshot(region: string, id: string): Promise<DBSnapshot | undefined> {
  try {
    const out = await rds(region).send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }));
    return out.DBSnapshots?.[0];
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("rds:DescribeDBSnapshots", id, () => Promise.reject(err));
  }
}

// aws rds describe-db-snapshots --db-instance-identifier ID --snapshot-type manual
export async function listDbSnapshots(region: string, instanceId: string): Promise<DBSnapshot[]> {
  const out = await aws("rds:DescribeDBSnapshots", instanceId, () =>
    rds(region).send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: instanceId, SnapshotType: "manual" })),
  );
  return out.DBSnapshots ?? [];
}
