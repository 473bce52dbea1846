// CloudWatch: new alarms start INSUFFICIENT_DATA as on AWS (moto says OK), configuration changes and state changes
// made through the proxy are written to the alarm history, and DescribeAlarmHistory (a 500 in moto) is answered
// here in the JSON 1.0 shape @aws-sdk/client-cloudwatch speaks (awsQueryCompatible).
import { DescribeAlarmsCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { recordHistory, recordStateChange } from "../physics/alarms";
import { jsonResponse } from "./protocol";
import type { RewriterTable } from "./types";

const toMs = (v: unknown): number | undefined => {
  if (typeof v === "number") return v * 1000; // JSON protocol timestamps are epoch seconds
  if (typeof v === "string") {
    const n = Number(v);
    return Number.isFinite(n) ? n * 1000 : Date.parse(v);
  }
  return undefined;
};

export const cloudwatchRewriters: RewriterTable = {
  "monitoring:DescribeAlarmHistory": {
    before(env, call) {
      const q = call.req.json ?? {};
      const name = typeof q.AlarmName === "string" ? q.AlarmName : undefined;
      const type = typeof q.HistoryItemType === "string" ? q.HistoryItemType : undefined;
      const types = Array.isArray(q.AlarmTypes) ? (q.AlarmTypes as string[]) : undefined;
      const start = toMs(q.StartDate);
      const end = toMs(q.EndDate);
      const max = Math.min(100, Math.max(1, typeof q.MaxRecords === "number" ? q.MaxRecords : 100));
      const offset = typeof q.NextToken === "string" ? Number(q.NextToken) || 0 : 0;
      const asc = q.ScanBy === "TimestampAscending";
      const items = env.world.alarmHistory
        .filter((h) => (!name || h.AlarmName === name) && (!type || h.HistoryItemType === type) && (!types || types.includes(h.AlarmType)))
        .filter((h) => (start === undefined || h.Timestamp >= start) && (end === undefined || h.Timestamp <= end))
        .sort((a, b) => (asc ? a.Timestamp - b.Timestamp : b.Timestamp - a.Timestamp));
      const page = items.slice(offset, offset + max);
      return jsonResponse(call.req, {
        AlarmHistoryItems: page.map((h) => ({ ...h, Timestamp: h.Timestamp / 1000 })),
        ...(offset + max < items.length ? { NextToken: String(offset + max) } : {}),
      });
    },
  },
  "monitoring:PutMetricAlarm": {
    async before(env, call) {
      const name = call.req.json?.AlarmName;
      if (typeof name !== "string") return;
      const r = await env.moto.cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] })).catch(() => undefined);
      const prev = r?.MetricAlarms?.[0];
      call.memo.prev = prev ? { value: prev.StateValue ?? "OK", reason: prev.StateReason ?? "", data: prev.StateReasonData } : null;
    },
    async after(env, call, res) {
      const name = call.req.json?.AlarmName;
      if (res.status !== 200 || typeof name !== "string") return res;
      const prev = call.memo.prev as { value: string; reason: string; data?: string } | null | undefined;
      if (prev === undefined) return res;
      const created = prev === null;
      recordHistory(env.world, {
        AlarmName: name,
        Timestamp: call.now,
        HistoryItemType: "ConfigurationUpdate",
        HistorySummary: `Alarm "${name}" ${created ? "created" : "updated"}`,
        HistoryData: JSON.stringify({
          version: "1.0",
          type: created ? "Create" : "Update",
          [created ? "createdAlarm" : "updatedAlarm"]: call.req.json,
        }),
      });
      // AWS: a new alarm is INSUFFICIENT_DATA until evaluated; an updated alarm keeps its state.
      const state = created
        ? { StateValue: "INSUFFICIENT_DATA" as const, StateReason: "Unchecked: Initial alarm creation" }
        : { StateValue: prev.value as "OK" | "ALARM" | "INSUFFICIENT_DATA", StateReason: prev.reason, StateReasonData: prev.data };
      await env.moto.cw.send(new SetAlarmStateCommand({ AlarmName: name, ...state })).catch(() => undefined);
      return res;
    },
  },
  "monitoring:SetAlarmState": {
    async before(env, call) {
      const name = call.req.json?.AlarmName;
      if (typeof name !== "string") return;
      const r = await env.moto.cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] })).catch(() => undefined);
      const prev = r?.MetricAlarms?.[0];
      if (prev) call.memo.prev = { value: prev.StateValue ?? "OK", reason: prev.StateReason ?? "" };
    },
    after(env, call, res) {
      const j = call.req.json ?? {};
      const prev = call.memo.prev as { value: string; reason: string } | undefined;
      if (
        res.status === 200 &&
        prev &&
        typeof j.AlarmName === "string" &&
        typeof j.StateValue === "string" &&
        j.StateValue !== prev.value
      ) {
        recordStateChange(env.world, j.AlarmName, prev, { value: j.StateValue, reason: String(j.StateReason ?? "") }, call.now);
      }
      return res;
    },
  },
  "monitoring:DeleteAlarms": {
    after(env, call, res) {
      const names = call.req.json?.AlarmNames;
      if (res.status === 200 && Array.isArray(names)) {
        for (const n of names) {
          recordHistory(env.world, {
            AlarmName: String(n),
            Timestamp: call.now,
            HistoryItemType: "ConfigurationUpdate",
            HistorySummary: `Alarm "${String(n)}" deleted`,
            HistoryData: JSON.stringify({ version: "1.0", type: "Delete" }),
          });
        }
      }
      return res;
    },
  },
};
