import "server-only";
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { awsClient } from "./client";
import { aws } from "./errors";

// Alarm administration for provisioning (reading alarm state lives in server/aws/cloudwatch.ts).

const cw = (region: string) => awsClient(CloudWatchClient, region);

// aws cloudwatch describe-alarms --alarm-names N…  (≤ 100 names per call)
export async function describeAlarmsByName(region: string, names: string[]): Promise<MetricAlarm[]> {
  if (!names.length) return [];
  const out = await aws("cloudwatch:DescribeAlarms", names[0] ?? "alarms", () =>
    cw(region).send(new DescribeAlarmsCommand({ AlarmNames: names.slice(0, 100), AlarmTypes: ["MetricAlarm"] })),
  );
  return out.MetricAlarms ?? [];
}

// aws cloudwatch put-metric-alarm …  (create or replace by name: idempotent)
export async function putMetricAlarm(region: string, input: PutMetricAlarmCommandInput): Promise<void> {
  await aws("cloudwatch:PutMetricAlarm", input.AlarmName ?? "alarm", () => cw(region).send(new PutMetricAlarmCommand(input)));
}

// aws cloudwatch delete-alarms --alarm-names N…  (≤ 100 per call; unknown names are ignored)
export async function deleteAlarms(region: string, names: string[]): Promise<void> {
  if (!names.length) return;
  await aws("cloudwatch:DeleteAlarms", names[0] ?? "alarms", () =>
    cw(region).send(new DeleteAlarmsCommand({ AlarmNames: names.slice(0, 100) })),
  );
}
