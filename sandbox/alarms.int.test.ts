import { afterEach, describe, expect, it } from "vitest";
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { minimalStack, cleanupStacks } from "@/test/fixtures/stack";
import { sandboxAdmin, sandboxClients, uniq } from "@/test/fixtures/sandbox";
import { until } from "@/test/until";

describe("CloudWatch alarms", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();

  it("a CPU alarm starts INSUFFICIENT_DATA, goes ALARM when CPU is pushed high, back to OK, with history", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-worker", s.workerTaskDef, 1);
    const alarmName = uniq("prefect-high-cpu");
    await c.cw.send(
      new PutMetricAlarmCommand({
        AlarmName: alarmName,
        Namespace: "AWS/ECS",
        MetricName: "CPUUtilization",
        Dimensions: [
          { Name: "ClusterName", Value: s.cluster },
          { Name: "ServiceName", Value: "prefect-worker" },
        ],
        Statistic: "Average",
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 80,
        ComparisonOperator: "GreaterThanThreshold",
      }),
    );
    const first = (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
    expect(first?.StateValue).toBe("INSUFFICIENT_DATA");

    await until("OK once the worker reports CPU", async () => {
      const a = (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
      return a?.StateValue === "OK" || undefined;
    });
    await sandboxAdmin("/cpu", "POST", { cluster: s.cluster, service: "prefect-worker", percent: 95 });
    const alarmed = await until("ALARM", async () => {
      const a = (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
      return a?.StateValue === "ALARM" ? a : undefined;
    });
    expect(alarmed.StateReason).toMatch(
      /^Threshold Crossed: \d+ (out of the last \d+ datapoints|datapoint) \[95\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)/,
    );
    expect(alarmed.StateReason).toMatch(/greater than the threshold \(80\.0\)/);
    await sandboxAdmin("/cpu", "POST", { cluster: s.cluster, service: "prefect-worker", percent: null });
    await until("OK again", async () => {
      const a = (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
      return a?.StateValue === "OK" || undefined;
    });

    const history = await c.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarmName, HistoryItemType: "StateUpdate" }));
    const summaries = (history.AlarmHistoryItems ?? []).map((h) => h.HistorySummary);
    expect(summaries).toEqual([
      "Alarm updated from ALARM to OK",
      "Alarm updated from OK to ALARM",
      "Alarm updated from INSUFFICIENT_DATA to OK",
    ]);
    expect(history.AlarmHistoryItems?.[0]?.Timestamp).toBeInstanceOf(Date);
    const data = JSON.parse(history.AlarmHistoryItems?.[1]?.HistoryData ?? "{}") as { newState?: { stateValue?: string } };
    expect(data.newState?.stateValue).toBe("ALARM");
    const all = await c.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: alarmName }));
    expect(
      all.AlarmHistoryItems?.some(
        (h) => h.HistoryItemType === "ConfigurationUpdate" && h.HistorySummary === `Alarm "${alarmName}" created`,
      ),
    ).toBe(true);
  });

  it("an alarm on a metric nobody publishes stays INSUFFICIENT_DATA", async () => {
    const alarmName = uniq("nothing");
    await c.cw.send(
      new PutMetricAlarmCommand({
        AlarmName: alarmName,
        Namespace: "AWS/ECS",
        MetricName: "CPUUtilization",
        Dimensions: [
          { Name: "ClusterName", Value: "no-such-cluster" },
          { Name: "ServiceName", Value: "x" },
        ],
        Statistic: "Average",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 80,
        ComparisonOperator: "GreaterThanThreshold",
      }),
    );
    // Let the evaluator run a few ticks, then check the state it settled on.
    const state = await sandboxAdmin("/state");
    const ticks = (state as { ticks: number }).ticks;
    await until("a few evaluations", async () => ((await sandboxAdmin("/state")) as { ticks: number }).ticks >= ticks + 4 || undefined);
    const a = (await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
    expect(a?.StateValue).toBe("INSUFFICIENT_DATA");
  });
});
