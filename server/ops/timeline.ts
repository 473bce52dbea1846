import "server-only";
import { stackNames } from "@/lib/names";
import { describeScalableTargets, describeScalingActivities, ecsServiceResourceId } from "@/server/aws/autoscaling";
import { describeServices } from "@/server/aws/ecs";
import { ConsoleAwsError } from "@/server/aws/errors";
import type { Db } from "@/server/db";
import { log } from "@/server/log";
import { stackAlarmHistory, stackAlarms } from "@/server/metrics/alarms";
import type { StackRecord } from "@/server/stacks/registry";
import { toDeploymentDto } from "./map-ecs";
import { mergeTimeline, type TimelineEntry } from "@/lib/ops/timeline-merge";

// One time-ordered story of a stack: ECS service events and deployments (DescribeServices, which keeps the last
// 100 events), auto-scaling activities (DescribeScalingActivities), alarm state changes (DescribeAlarmHistory)
// and what console users did (audit rows whose target is `stack:<env>…`). A failing source is reported, the
// others still show.

export interface StackTimeline {
  entries: TimelineEntry[];
  errors: { source: string; message: string }[];
}

const toneOf = (s: string | null | undefined): TimelineEntry["tone"] =>
  s === "ALARM" || s === "FAILED" || s === "Failed" || s === "error" || s === "denied"
    ? "failed"
    : s === "OK" || s === "COMPLETED" || s === "Successful" || s === "ok"
      ? "ok"
      : "pending";

async function serviceEntries(region: string, env: string): Promise<TimelineEntry[]> {
  const n = stackNames(env);
  const { services } = await describeServices(region, n.cluster, [n.serverService, n.workerService]);
  return services.flatMap((s) => {
    const name = s.serviceName ?? "?";
    const events: TimelineEntry[] = (s.events ?? []).map((e) => ({
      key: `ev:${e.id}`,
      at: e.createdAt ? new Date(e.createdAt).getTime() : 0,
      kind: "service-event",
      source: name,
      title: (e.message ?? "").replace(/^\(service [^)]+\) /, ""),
      detail: null,
      tone: /unable|failed|unhealthy|error/i.test(e.message ?? "")
        ? "failed"
        : /steady state|completed/i.test(e.message ?? "")
          ? "ok"
          : "neutral",
    }));
    const deployments: TimelineEntry[] = (s.deployments ?? []).map(toDeploymentDto).map((d) => ({
      key: `dep:${d.id}:${d.rolloutState ?? ""}`,
      at: d.createdAt ?? 0,
      kind: "deployment",
      source: name,
      title: `Deployment of ${d.taskDefinition} started (${d.status.toLowerCase()}, rollout ${(d.rolloutState ?? "unknown").toLowerCase().replace("_", " ")})`,
      detail: d.rolloutStateReason,
      tone: toneOf(d.rolloutState),
    }));
    return [...events, ...deployments];
  });
}

async function scalingEntries(region: string, env: string): Promise<TimelineEntry[]> {
  const n = stackNames(env);
  // Only services that have a scalable target have activities (one DescribeScalableTargets for both first).
  const targets = await describeScalableTargets(
    region,
    [n.serverService, n.workerService].map((svc) => ecsServiceResourceId(n.cluster, svc)),
  );
  const per = await Promise.all(targets.map((t) => describeScalingActivities(region, t.ResourceId ?? "")));
  return per.flat().map((a) => ({
    key: `scale:${a.ActivityId}`,
    at: a.StartTime ? new Date(a.StartTime).getTime() : 0,
    kind: "scaling" as const,
    source: (a.ResourceId ?? "").split("/").pop() ?? "?",
    title: a.Description ?? "Scaling activity",
    detail: [a.Cause, a.StatusMessage].filter(Boolean).join(" · ") || null,
    tone: toneOf(a.StatusCode),
  }));
}

async function alarmEntries(region: string, env: string, since: number): Promise<TimelineEntry[]> {
  const alarms = await stackAlarms(env, region);
  const history = await stackAlarmHistory(
    region,
    alarms.map((a) => a.name),
    new Date(since),
  );
  return history
    .filter((h) => h.type === "StateUpdate")
    .map((h) => ({
      key: `alarm:${h.alarm}:${h.at}`,
      at: h.at,
      kind: "alarm" as const,
      source: h.alarm,
      title: h.summary,
      detail: null,
      tone: toneOf(h.to),
    }));
}

interface AuditRow {
  id: string;
  at: number;
  actor_email: string;
  action: string;
  target: string;
  outcome: string;
  message: string | null;
}

async function auditEntries(db: Db, env: string, since: number): Promise<TimelineEntry[]> {
  const rows = await db.all<AuditRow>(
    "SELECT id, at, actor_email, action, target, outcome, message FROM audit_events WHERE (target = ? OR target LIKE ?) AND at >= ? ORDER BY at DESC LIMIT 200",
    [`stack:${env}`, `stack:${env}/%`, since],
  );
  return rows.map((r) => ({
    key: `audit:${r.id}`,
    at: Number(r.at),
    kind: "audit" as const,
    source: r.actor_email,
    title: `${r.action} ${r.target.replace(`stack:${env}/`, "").replace(`stack:${env}`, env)}${r.outcome === "ok" ? "" : ` (${r.outcome})`}`,
    detail: r.message,
    tone: toneOf(r.outcome),
  }));
}

export async function stackTimeline(
  db: Db,
  stack: Pick<StackRecord, "env" | "region">,
  opts: { since?: number; now?: number } = {},
): Promise<StackTimeline> {
  const now = opts.now ?? Date.now();
  const since = opts.since ?? now - 7 * 24 * 3_600_000;
  const sources: [string, Promise<TimelineEntry[]>][] = [
    ["ECS services", serviceEntries(stack.region, stack.env)],
    ["Auto scaling", scalingEntries(stack.region, stack.env)],
    ["Alarm history", alarmEntries(stack.region, stack.env, since)],
    ["Console actions", auditEntries(db, stack.env, since)],
  ];
  const settled = await Promise.allSettled(sources.map(([, p]) => p));
  const errors: StackTimeline["errors"] = [];
  const lists: TimelineEntry[][] = [];
  settled.forEach((r, i) => {
    const source = sources[i]![0];
    if (r.status === "fulfilled") lists.push(r.value);
    else {
      if (!(r.reason instanceof ConsoleAwsError)) log.error("timeline source failed", { source, error: String(r.reason) });
      errors.push({
        source,
        message: r.reason instanceof ConsoleAwsError ? r.reason.message : "failed; the details are in the console's log",
      });
    }
  });
  return { entries: mergeTimeline(lists, 300, since), errors };
}
