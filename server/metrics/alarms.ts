import "server-only";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { stackNames } from "@/lib/names";
import { describeAlarmHistory, describeAlarmsByPrefix } from "@/server/aws/cloudwatch";
import { ConsoleAwsError } from "@/server/aws/errors";
import type { AlarmDto } from "@/lib/ops/types";
import { chartFor } from "@/lib/metric-ranges";

// The stack's alarms. The seed names them `prefect-<what>-<env>` (prefect-high-cpu-production), so one paginated
// DescribeAlarms with the prefix `prefect-` finds them; we keep those whose name ends in `-<env>` and whose
// dimensions (if any) point at this stack's cluster, database or load balancer — `-b` would otherwise also
// match the stack `a-b`.

export function alarmBelongsTo(env: string, a: Pick<MetricAlarm, "AlarmName" | "Dimensions">): boolean {
  const name = a.AlarmName ?? "";
  if (!name.startsWith("prefect-") || !name.endsWith(`-${env}`)) return false;
  const n = stackNames(env);
  const dims = a.Dimensions ?? [];
  if (dims.length === 0) return true;
  return dims.some(
    (d) =>
      (d.Name === "ClusterName" && d.Value === n.cluster) ||
      (d.Name === "DBInstanceIdentifier" && d.Value === n.dbInstance) ||
      (d.Name === "LoadBalancer" && (d.Value ?? "").startsWith(`app/${n.alb}/`)) ||
      (d.Name === "TargetGroup" && (d.Value ?? "").startsWith(`targetgroup/${n.targetGroup}/`)),
  );
}

export function toAlarmDto(a: MetricAlarm): AlarmDto {
  const dimensions = Object.fromEntries((a.Dimensions ?? []).map((d) => [d.Name ?? "", d.Value ?? ""]));
  return {
    name: a.AlarmName ?? "?",
    state: a.StateValue ?? "INSUFFICIENT_DATA",
    reason: a.StateReason ?? null,
    since: a.StateUpdatedTimestamp ? new Date(a.StateUpdatedTimestamp).getTime() : null,
    metric: a.Namespace && a.MetricName ? `${a.Namespace}/${a.MetricName}` : null,
    namespace: a.Namespace ?? null,
    metricName: a.MetricName ?? null,
    threshold: a.Threshold ?? null,
    comparison: a.ComparisonOperator ?? null,
    dimensions,
    chart: chartFor(a.Namespace, a.MetricName, dimensions),
  };
}

/** Firing alarms first, then by name. */
export function sortAlarms(alarms: AlarmDto[]): AlarmDto[] {
  const rank = (s: string) => (s === "ALARM" ? 0 : s === "INSUFFICIENT_DATA" ? 1 : 2);
  return [...alarms].sort((a, b) => rank(a.state) - rank(b.state) || a.name.localeCompare(b.name));
}

export async function stackAlarms(env: string, region: string): Promise<AlarmDto[]> {
  const all = await describeAlarmsByPrefix(region, "prefect-");
  return sortAlarms(all.filter((a) => alarmBelongsTo(env, a)).map(toAlarmDto));
}

export interface AlarmHistoryDto {
  alarm: string;
  at: number;
  type: string; // StateUpdate | ConfigurationUpdate | Action
  summary: string;
  from: string | null;
  to: string | null;
}

/** Reads `oldState.stateValue` / `newState.stateValue` from the history item's JSON HistoryData. */
export function parseHistoryStates(historyData: string | undefined): { from: string | null; to: string | null } {
  try {
    const d = JSON.parse(historyData ?? "{}") as { oldState?: { stateValue?: string }; newState?: { stateValue?: string } };
    return { from: d.oldState?.stateValue ?? null, to: d.newState?.stateValue ?? null };
  } catch {
    return { from: null, to: null };
  }
}

// One DescribeAlarmHistory per alarm (the API takes one name, or none for the whole account); a stack has few alarms.
export async function stackAlarmHistory(region: string, alarmNames: string[], since: Date): Promise<AlarmHistoryDto[]> {
  const perAlarm = await Promise.all(alarmNames.map((name) => describeAlarmHistory(region, name, { start: since, maxRecords: 100 })));
  return perAlarm
    .flat()
    .map((h) => ({
      alarm: h.AlarmName ?? "?",
      at: h.Timestamp ? new Date(h.Timestamp).getTime() : 0,
      type: h.HistoryItemType ?? "StateUpdate",
      summary: h.HistorySummary ?? "",
      ...parseHistoryStates(h.HistoryData),
    }))
    .sort((a, b) => b.at - a.at);
}

/** The alarms page: the stack's alarms and their history since `days` ago, each part failing on its own. */
export async function stackAlarmsPage(
  env: string,
  region: string,
  days: number,
  now = Date.now(),
): Promise<{ alarms: AlarmDto[]; alarmsError: string | null; history: AlarmHistoryDto[]; historyError: string | null }> {
  const msg = (e: unknown) =>
    e instanceof ConsoleAwsError ? e.message : "Reading CloudWatch failed; the details are in the console's log.";
  try {
    const alarms = await stackAlarms(env, region);
    try {
      const history = await stackAlarmHistory(
        region,
        alarms.map((a) => a.name),
        new Date(now - days * 86_400_000),
      );
      return { alarms, alarmsError: null, history, historyError: null };
    } catch (e) {
      return { alarms, alarmsError: null, history: [], historyError: msg(e) };
    }
  } catch (e) {
    return { alarms: [], alarmsError: msg(e), history: [], historyError: null };
  }
}
