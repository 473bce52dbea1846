import "server-only";
import { stackNames } from "@/lib/names";
import { describeAlarmsByPrefix } from "@/server/aws/cloudwatch";
import { describeServices } from "@/server/aws/ecs";
import { describeTargetHealth } from "@/server/aws/elbv2";
import { safeMessage } from "@/server/errors";
import type { Db } from "@/server/db";
import { processSingleton } from "@/server/process-singleton";
import { alarmBelongsTo } from "@/server/metrics/alarms";
import { listStacks, type StackRecord } from "@/server/stack/registry";
import { isSteady, toServiceDto } from "./map-ecs";
import type { StackHealthSummary } from "@/lib/ops/health-types";

// The stacks list's one-line health per stack: services steady? targets healthy? alarms firing?
// Calls: DescribeAlarms once per REGION (prefix `prefect-`, shared by all stacks there), and per stack one
// DescribeServices (both services) + one DescribeTargetHealth — 2 per stack + 1 per region, all in parallel.

const msg = (e: unknown) => safeMessage(e, "Reading AWS");

async function summarise(
  stack: StackRecord,
  alarmsP: Promise<Awaited<ReturnType<typeof describeAlarmsByPrefix>>>,
): Promise<StackHealthSummary> {
  const n = stackNames(stack.env);
  const [services, alarms] = await Promise.allSettled([
    describeServices(stack.region, n.cluster, [n.serverService, n.workerService]),
    alarmsP,
  ]);
  const out: StackHealthSummary = {
    env: stack.env,
    services: { ok: false, error: "not read" },
    targets: { ok: false, error: "not read" },
    alarms: { ok: false, error: "not read" },
    tone: "neutral",
  };
  if (services.status === "fulfilled") {
    const dtos = services.value.services.map((s) => toServiceDto(s.serviceName === n.workerService ? "worker" : "server", s));
    out.services = {
      ok: true,
      data: {
        count: dtos.length,
        steady: dtos.filter((d) => isSteady(d)).length,
        running: dtos.reduce((a, d) => a + d.running, 0),
        desired: dtos.reduce((a, d) => a + d.desired, 0),
      },
    };
    const tg = services.value.services
      .find((s) => s.serviceName === n.serverService)
      ?.loadBalancers?.find((l) => l.targetGroupArn)?.targetGroupArn;
    if (tg) {
      try {
        const th = await describeTargetHealth(stack.region, tg, n.targetGroup);
        out.targets = { ok: true, data: { healthy: th.filter((t) => t.TargetHealth?.State === "healthy").length, total: th.length } };
      } catch (e) {
        out.targets = { ok: false, error: msg(e) };
      }
    } else out.targets = { ok: true, data: { healthy: 0, total: 0 } };
  } else out.services = { ok: false, error: msg(services.reason) };
  if (alarms.status === "fulfilled") {
    const mine = alarms.value.filter((a) => alarmBelongsTo(stack.env, a));
    out.alarms = {
      ok: true,
      data: { firing: mine.filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName ?? "?"), total: mine.length },
    };
  } else out.alarms = { ok: false, error: msg(alarms.reason) };
  out.tone = toneOf(out);
  return out;
}

export function toneOf(s: Omit<StackHealthSummary, "tone">): StackHealthSummary["tone"] {
  if (!s.services.ok || !s.targets.ok || !s.alarms.ok) return "failed";
  if (s.alarms.data.firing.length > 0) return "failed";
  if (s.services.data.count > 0 && s.targets.data.total > 0 && s.targets.data.healthy === 0) return "failed";
  if (s.services.data.steady < s.services.data.count || s.targets.data.healthy < s.targets.data.total) return "pending";
  return s.services.data.count === 0 ? "neutral" : "ok";
}

// Views of the stacks list within this long share one read (every viewer, every reload): AWS calls per view do not
// grow with the number of people looking, only with the number of stacks once per window. Short enough that a page's
// own refresh (10 s) always reads AWS anew.
export const HEALTH_MAX_AGE_MS = 5_000;
const shared = processSingleton("stack-health-summaries", () => ({
  key: "",
  at: 0,
  promise: undefined as Promise<Record<string, StackHealthSummary>> | undefined,
}));

/** Health of every registered stack, keyed by env. Stacks being provisioned or destroyed are included as-is. */
export async function stackHealthSummaries(db: Db, now = Date.now()): Promise<Record<string, StackHealthSummary>> {
  const stacks = (await listStacks(db)).filter((s) => s.status !== "draft");
  // A stack added or removed since the last read is a new question: the key is the set of stacks.
  const key = stacks.map((s) => `${s.region}/${s.env}`).join(",");
  if (shared.promise && shared.key === key && now - shared.at < HEALTH_MAX_AGE_MS) return shared.promise;
  const promise = readSummaries(stacks);
  Object.assign(shared, { key, at: now, promise });
  promise.catch(() => {
    if (shared.promise === promise) shared.promise = undefined;
  });
  return promise;
}

async function readSummaries(stacks: StackRecord[]): Promise<Record<string, StackHealthSummary>> {
  const byRegion = new Map<string, Promise<Awaited<ReturnType<typeof describeAlarmsByPrefix>>>>();
  for (const s of stacks) if (!byRegion.has(s.region)) byRegion.set(s.region, describeAlarmsByPrefix(s.region, "prefect-"));
  for (const p of byRegion.values()) p.catch(() => undefined);
  const list = await Promise.all(stacks.map((s) => summarise(s, byRegion.get(s.region)!)));
  return Object.fromEntries(list.map((s) => [s.env, s]));
}
