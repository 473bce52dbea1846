import "server-only";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
  type LogGroup,
} from "@aws-sdk/client-cloudwatch-logs";
import { awsClient } from "./client";
import { aws, classifyAwsError } from "./errors";

// Log group administration for provisioning (reading logs lives in server/aws/logs.ts).

const logs = (region: string) => awsClient(CloudWatchLogsClient, region);

// aws logs describe-log-groups --log-group-name-prefix N  (prefix match: pick the exact name)
export async function findLogGroup(region: string, name: string): Promise<LogGroup | undefined> {
  const out = await aws("logs:DescribeLogGroups", name, () =>
    logs(region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 })),
  );
  return (out.logGroups ?? []).find((g) => g.logGroupName === name);
}

// aws logs create-log-group --log-group-name N --tags …
export async function createLogGroup(region: string, name: string, tags: Record<string, string>): Promise<void> {
  try {
    await logs(region).send(new CreateLogGroupCommand({ logGroupName: name, tags }));
  } catch (err) {
    if (/ResourceAlreadyExists/.test(String((err as { name?: string }).name))) return;
    await aws("logs:CreateLogGroup", name, () => Promise.reject(err));
  }
}

// aws logs put-retention-policy --log-group-name N --retention-in-days 30
export async function putRetention(region: string, name: string, days: number): Promise<void> {
  await aws("logs:PutRetentionPolicy", name, () =>
    logs(region).send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days })),
  );
}

// aws logs delete-log-group --log-group-name N
export async function deleteLogGroup(region: string, name: string): Promise<void> {
  try {
    await logs(region).send(new DeleteLogGroupCommand({ logGroupName: name }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("logs:DeleteLogGroup", name, () => Promise.reject(err));
  }
}
