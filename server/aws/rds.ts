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
