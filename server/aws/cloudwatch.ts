import "server-only";
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  GetMetricDataCommand,
  paginateDescribeAlarms,
  type AlarmHistoryItem,
  type MetricAlarm,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import { awsClient } from "./client";
import { aws } from "./errors";

// Thin CloudWatch (metrics + alarms) wrappers. Several engineers add functions here: add, don't restructure.

const cw = (region: string) => awsClient(CloudWatchClient, region);

// aws cloudwatch describe-alarms --alarm-name-prefix P  (≤ 100 per page; paginated)
export async function describeAlarmsByPrefix(region: string, prefix: string): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  await aws("cloudwatch:DescribeAlarms", `${prefix}*`, async () => {
    for await (const page of paginateDescribeAlarms(
      { client: cw(region), pageSize: 100 },
      { AlarmNamePrefix: prefix, AlarmTypes: ["MetricAlarm"] },
    )) {
      alarms.push(...(page.MetricAlarms ?? []));
    }
  });
  return alarms;
}

/** GetMetricData takes at most 500 queries per call. */
export const MAX_METRIC_QUERIES = 500;

// aws cloudwatch get-metric-data --metric-data-queries … --start-time --end-time  (≤ 500 queries per call;
// chunks run in parallel; each result is followed through NextToken when a series has more than 100,800 points)
export async function getMetricData(
  region: string,
  queries: MetricDataQuery[],
  start: Date,
  end: Date,
  target: string,
): Promise<MetricDataResult[]> {
  if (queries.length === 0) return [];
  const chunks: MetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += MAX_METRIC_QUERIES) chunks.push(queries.slice(i, i + MAX_METRIC_QUERIES));
  const results = await Promise.all(
    chunks.map((q) =>
      aws("cloudwatch:GetMetricData", target, async () => {
        const out: MetricDataResult[] = [];
        let token: string | undefined;
        do {
          const page = await cw(region).send(
            new GetMetricDataCommand({
              MetricDataQueries: q,
              StartTime: start,
              EndTime: end,
              ScanBy: "TimestampAscending",
              NextToken: token,
            }),
          );
          out.push(...(page.MetricDataResults ?? []));
          token = page.NextToken;
        } while (token);
        return out;
      }),
    ),
  );
  return results.flat();
}

// aws cloudwatch describe-alarm-history --alarm-name N --history-item-type StateUpdate --start-date …  (≤ 100 per page)
export async function describeAlarmHistory(
  region: string,
  alarmName: string,
  opts: { start?: Date; end?: Date; maxRecords?: number; stateUpdatesOnly?: boolean } = {},
): Promise<AlarmHistoryItem[]> {
  const out = await aws("cloudwatch:DescribeAlarmHistory", alarmName, () =>
    cw(region).send(
      new DescribeAlarmHistoryCommand({
        AlarmName: alarmName,
        StartDate: opts.start,
        EndDate: opts.end,
        MaxRecords: Math.min(opts.maxRecords ?? 100, 100),
        ScanBy: "TimestampDescending",
        ...(opts.stateUpdatesOnly ? { HistoryItemType: "StateUpdate" as const } : {}),
      }),
    ),
  );
  return out.AlarmHistoryItems ?? [];
}
