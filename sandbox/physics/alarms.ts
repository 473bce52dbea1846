// Evaluates every metric alarm in moto like CloudWatch does (moto never does): reads the metric with
// GetMetricData over evaluationPeriods × period (scaled to real time), decides the state, and calls SetAlarmState
// with CloudWatch's wording when it changes. Keeps the alarm history that DescribeAlarmHistory serves.
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  SetAlarmStateCommand,
  type MetricAlarm,
  type MetricDataQuery,
  type StateValue,
} from "@aws-sdk/client-cloudwatch";
import type { MotoClients } from "../clients";
import type { AlarmHistoryItem, World } from "../world";
import { evaluateAlarm, type AlarmDef, type Datapoint } from "./alarm-eval";

export function recordHistory(
  world: World,
  item: Omit<AlarmHistoryItem, "AlarmType"> & { AlarmType?: AlarmHistoryItem["AlarmType"] },
): void {
  world.alarmHistory.push({ AlarmType: "MetricAlarm", ...item });
  if (world.alarmHistory.length > 5000) world.alarmHistory.splice(0, world.alarmHistory.length - 5000);
}

export function recordStateChange(
  world: World,
  name: string,
  from: { value: string; reason: string },
  to: { value: string; reason: string; data?: Record<string, unknown> },
  at: number,
): void {
  recordHistory(world, {
    AlarmName: name,
    Timestamp: at,
    HistoryItemType: "StateUpdate",
    HistorySummary: `Alarm updated from ${from.value} to ${to.value}`,
    HistoryData: JSON.stringify({
      version: "1.0",
      oldState: { stateValue: from.value, stateReason: from.reason },
      newState: { stateValue: to.value, stateReason: to.reason, ...(to.data ? { stateReasonData: to.data } : {}) },
    }),
  });
}

interface Target {
  alarm: MetricAlarm;
  def: AlarmDef;
  query: MetricDataQuery;
}

export class AlarmPhysics {
  constructor(
    private world: World,
    private c: MotoClients,
  ) {}

  async tick(now: number): Promise<void> {
    const alarms: MetricAlarm[] = [];
    let token: string | undefined;
    for (let i = 0; i < 50; i++) {
      const r = await this.c.cw.send(new DescribeAlarmsCommand({ NextToken: token, MaxRecords: 100 }));
      alarms.push(...(r.MetricAlarms ?? []));
      token = r.NextToken;
      if (!token) break;
    }
    // Group alarms by their real-time window so one GetMetricData call serves each group.
    const groups = new Map<string, { bucketSec: number; periods: number; targets: Target[] }>();
    for (const alarm of alarms) {
      const t = this.target(alarm, groups.size);
      if (!t) continue;
      const bucketSec = Math.max(1, Math.round(t.def.period / this.world.config.timeScale));
      const key = `${bucketSec}/${t.def.evaluationPeriods}`;
      const g = groups.get(key) ?? { bucketSec, periods: t.def.evaluationPeriods, targets: [] };
      g.targets.push(t);
      groups.set(key, g);
    }
    for (const g of groups.values()) await this.evaluateGroup(g, now);
  }

  private target(alarm: MetricAlarm, _n: number): Target | undefined {
    if (!alarm.AlarmName || alarm.Threshold === undefined || !alarm.ComparisonOperator) return undefined;
    let stat: string = alarm.Statistic ?? (alarm.ExtendedStatistic ? "Maximum" : "Average");
    let metric =
      alarm.MetricName && alarm.Namespace
        ? { Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions }
        : undefined;
    let period = alarm.Period ?? 60;
    if (!metric && alarm.Metrics) {
      // Metric-math alarms: only the simple form (one returned MetricStat) is evaluated.
      const ret = alarm.Metrics.find((m) => m.ReturnData !== false && m.MetricStat);
      if (!ret?.MetricStat?.Metric) return undefined;
      metric = {
        Namespace: ret.MetricStat.Metric.Namespace ?? "",
        MetricName: ret.MetricStat.Metric.MetricName ?? "",
        Dimensions: ret.MetricStat.Metric.Dimensions,
      };
      stat = ret.MetricStat.Stat ?? stat;
      period = ret.MetricStat.Period ?? period;
    }
    if (!metric) return undefined;
    const def: AlarmDef = {
      name: alarm.AlarmName,
      statistic: stat,
      period,
      evaluationPeriods: alarm.EvaluationPeriods ?? 1,
      datapointsToAlarm: alarm.DatapointsToAlarm,
      threshold: alarm.Threshold,
      comparison: alarm.ComparisonOperator,
      treatMissingData: alarm.TreatMissingData,
    };
    return { alarm, def, query: { Id: "q", MetricStat: { Metric: metric, Period: 1, Stat: String(stat) }, ReturnData: true } };
  }

  private async evaluateGroup(g: { bucketSec: number; periods: number; targets: Target[] }, now: number) {
    // Whole seconds only, and the current (incomplete) second is left out, like CloudWatch skips the open period.
    const end = Math.floor(now / 1000) * 1000;
    const start = end - g.bucketSec * g.periods * 1000;
    for (let i = 0; i < g.targets.length; i += 400) {
      const chunk = g.targets.slice(i, i + 400);
      const queries = chunk.map((t, j) => ({
        ...t.query,
        Id: `a${i + j}`,
        MetricStat: t.query.MetricStat ? { ...t.query.MetricStat, Period: g.bucketSec } : undefined,
      }));
      const r = await this.c.cw.send(
        new GetMetricDataCommand({ StartTime: new Date(start), EndTime: new Date(end), MetricDataQueries: queries }),
      );
      for (let j = 0; j < chunk.length; j++) {
        const t = chunk[j];
        if (!t) continue;
        const res = r.MetricDataResults?.find((x) => x.Id === `a${i + j}`);
        const points: Datapoint[] = (res?.Timestamps ?? [])
          .map((ts, k) => ({ t: ts.getTime(), v: res?.Values?.[k] ?? NaN }))
          .filter((p) => Number.isFinite(p.v));
        await this.apply(t, points, now);
      }
    }
  }

  private async apply(t: Target, points: Datapoint[], now: number): Promise<void> {
    const ev = evaluateAlarm(t.def, points, now);
    const current = t.alarm.StateValue ?? "INSUFFICIENT_DATA";
    if (ev.state === "UNCHANGED" || ev.state === current) return;
    await this.c.cw.send(
      new SetAlarmStateCommand({
        AlarmName: t.def.name,
        StateValue: ev.state as StateValue,
        StateReason: ev.reason,
        StateReasonData: JSON.stringify(ev.reasonData),
      }),
    );
    recordStateChange(
      this.world,
      t.def.name,
      { value: current, reason: t.alarm.StateReason ?? "" },
      { value: ev.state, reason: ev.reason, data: ev.reasonData },
      now,
    );
    this.world.log(`alarm ${t.def.name}: ${current} → ${ev.state}`);
  }
}
