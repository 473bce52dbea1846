import "server-only";
import { domainStatus } from "./domain-status";
import type { LoadBalancer, Listener } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Task, TaskDefinition } from "@aws-sdk/client-ecs";
import { stackNames } from "@/lib/names";
import { describeScalableTargets, describeScalingPolicies, ecsServiceResourceId } from "@/server/aws/autoscaling";
import { getMetricData } from "@/server/aws/cloudwatch";
import { describeServices, describeTasks, listTaskArns } from "@/server/aws/ecs";
import { describeListeners, describeTargetHealth, findLoadBalancer, findTargetGroup } from "@/server/aws/elbv2";
import { findDbInstance } from "@/server/aws/rds";
import type { Db } from "@/server/db";
import { safeMessage } from "@/server/errors";
import { stackAlarms } from "@/server/metrics/alarms";
import { albDimensionOf, metricQueries, rangeWindow, seriesDefs, toSeries } from "@/server/metrics/queries";
import { prefectOverview } from "@/server/prefect/overview";
import { prefectAuthString } from "@/server/prefect/target";
import { getStack, type StackRecord } from "@/server/stack/registry";
import { sortTasks, toServiceDto, toTaskDto, versionsOf } from "./map-ecs";
import { runInProgress } from "./run-guard";
import { cachedTaskDefinition } from "./task-definitions";
import type {
  DatabaseDto,
  LoadBalancerDto,
  Panel,
  ScalingDto,
  ServiceDto,
  StackSnapshot,
  StackSnapshotHead,
  StackSnapshotPanels,
  TargetDto,
} from "@/lib/ops/types";

// One overview of a stack from a FIXED number of batched AWS calls, run in parallel:
//   ECS DescribeServices (both services, 1 call) · ListTasks RUNNING (1 per 100 tasks) · ListTasks STOPPED (1 page)
//   · DescribeTasks (1 per 100 tasks) · ELBv2 DescribeLoadBalancers · DescribeListeners · DescribeTargetHealth
//   · RDS DescribeDBInstances · CloudWatch DescribeAlarms (prefix, 1 per 100 alarms) · GetMetricData (≤ 500 queries)
//   · Application Auto Scaling DescribeScalableTargets (+ DescribeScalingPolicies per auto-scaled service, ≤ 2)
// = 11–13 calls for a stack with up to 100 tasks; DescribeTaskDefinition / GetSecretValue only on a cache miss.
// Each panel catches its own failure: one failing call never blanks the others.

const GiB = 1024 ** 3;

async function panel<T>(p: Promise<T>, what: string): Promise<Panel<T>> {
  try {
    return { ok: true, data: await p };
  } catch (err) {
    return { ok: false, error: safeMessage(err, `Reading ${what}`) };
  }
}

/** The stored spec's custom domain (stored specs are JSON; older ones have none). */
function domainOf(spec: unknown): string | undefined {
  const d = (spec as { domainName?: unknown } | undefined)?.domainName;
  return typeof d === "string" && d ? d : undefined;
}

export function toLoadBalancerDto(lb: LoadBalancer, listeners: Listener[], domainName?: string): LoadBalancerDto {
  const forwardsHttp = listeners.some((l) => l.Protocol === "HTTP" && l.DefaultActions?.some((a) => a.Type === "forward"));
  const hasHttps = listeners.some((l) => l.Protocol === "HTTPS");
  const protocol = !forwardsHttp && hasHttps ? "https" : "http";
  const dns = lb.DNSName ?? "";
  // People use the stack's own domain when it has one (a certificate never covers the ALB's name).
  const base = `${protocol}://${domainName ?? dns}`;
  return {
    name: lb.LoadBalancerName ?? "?",
    dnsName: dns,
    scheme: lb.Scheme ?? "internal",
    state: lb.State?.Code ?? "?",
    protocol,
    apiUrl: `${base}/api`,
    uiUrl: base,
    dimension: albDimensionOf(lb.LoadBalancerArn),
  };
}

export function toDatabaseDto(i: NonNullable<Awaited<ReturnType<typeof findDbInstance>>>, freeBytes: number | null): DatabaseDto {
  const allocated = i.AllocatedStorage ?? 0;
  const pending: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.PendingModifiedValues ?? {}))
    if (v !== undefined && v !== null && typeof v !== "object") pending[k] = String(v);
  return {
    id: i.DBInstanceIdentifier ?? "?",
    status: i.DBInstanceStatus ?? "?",
    instanceClass: i.DBInstanceClass ?? "?",
    engine: i.Engine ?? "postgres",
    engineVersion: i.EngineVersion ?? "?",
    allocatedGiB: allocated,
    maxAllocatedGiB: i.MaxAllocatedStorage ?? null,
    usedGiB: freeBytes === null ? null : Math.max(0, Math.round((allocated - freeBytes / GiB) * 10) / 10),
    multiAz: Boolean(i.MultiAZ),
    backupWindow: i.PreferredBackupWindow ?? null,
    backupRetentionDays: i.BackupRetentionPeriod ?? null,
    latestRestorableAt: i.LatestRestorableTime ? new Date(i.LatestRestorableTime).getTime() : null,
    endpoint: i.Endpoint?.Address ? `${i.Endpoint.Address}:${i.Endpoint.Port ?? 5432}` : null,
    pendingModifications: pending,
  };
}

/** RUNNING tasks (every page) plus the most recent STOPPED page, described in chunks of 100. */
async function stackTasks(region: string, cluster: string): Promise<Task[]> {
  const [running, stopped] = await Promise.all([
    listTaskArns(region, cluster, { desiredStatus: "RUNNING" }),
    listTaskArns(region, cluster, { desiredStatus: "STOPPED", maxPages: 1 }),
  ]);
  const arns = [...new Set([...running, ...stopped])];
  return describeTasks(region, cluster, arns);
}

type SnapshotHead = StackSnapshotHead;
type SnapshotPanels = StackSnapshotPanels;
type ResolvedPanels = { [K in keyof SnapshotPanels]: Awaited<SnapshotPanels[K]> };
export interface SnapshotParts {
  head: SnapshotHead;
  panels: SnapshotPanels;
  done: Promise<StackSnapshot>;
}

export interface SnapshotOptions {
  /** Ask Prefect through the load balancer (default true). */
  prefect?: boolean;
  now?: number;
}

/**
 * Starts every read of the snapshot at once and hands back one promise per panel (none rejects: a failure is the
 * panel's `{ ok: false }`), so a page can show each panel as its data arrives instead of waiting for the slowest
 * (an unreachable Prefect API waits for its timeout; a throttled API for its retries). `done` is the whole snapshot.
 */
export function startSnapshot(
  db: Db,
  stack: Pick<StackRecord, "env" | "region" | "status" | "adopted"> & { spec?: unknown },
  opts: SnapshotOptions = {},
): SnapshotParts {
  const started = Date.now();
  const now = opts.now ?? started;
  const { env, region } = stack;
  const n = stackNames(env);

  const servicesP = describeServices(region, n.cluster, [n.serverService, n.workerService]);
  const lbP = (async () => {
    const lb = await findLoadBalancer(region, n.alb);
    if (!lb?.LoadBalancerArn) return null;
    const domain = domainOf(stack.spec);
    const [listeners, dns] = await Promise.all([
      describeListeners(region, lb.LoadBalancerArn, n.alb),
      domain && lb.DNSName ? domainStatus(region, domain, lb.DNSName) : undefined,
    ]);
    return { ...toLoadBalancerDto(lb, listeners, domain), ...(dns ? { domain: dns } : {}) };
  })();
  const tasksP = stackTasks(region, n.cluster);
  const dbP = findDbInstance(region, n.dbInstance);
  const alarmsP = stackAlarms(env, region);
  const scalingP = describeScalableTargets(region, [
    ecsServiceResourceId(n.cluster, n.serverService),
    ecsServiceResourceId(n.cluster, n.workerService),
  ]);
  // Task definitions: cached per immutable revision (no call after the first refresh).
  const taskDefsP = servicesP.then(async ({ services }) => {
    const entries = await Promise.all(
      services.map(
        async (s) =>
          [
            s.serviceName ?? "",
            s.taskDefinition ? await cachedTaskDefinition(region, s.taskDefinition).catch(() => undefined) : undefined,
          ] as const,
      ),
    );
    return new Map<string, TaskDefinition | undefined>(entries);
  });
  const targetsP = (async (): Promise<TargetDto[]> => {
    const { services } = await servicesP.catch(() => ({ services: [] }));
    const fromService = services
      .find((s) => s.serviceName === n.serverService)
      ?.loadBalancers?.find((l) => l.targetGroupArn)?.targetGroupArn;
    const tgArn = fromService ?? (await findTargetGroup(region, n.targetGroup))?.TargetGroupArn;
    if (!tgArn) return [];
    const health = await describeTargetHealth(region, tgArn, n.targetGroup);
    return health.map((h) => ({
      id: h.Target?.Id ?? "?",
      port: h.Target?.Port ?? null,
      state: h.TargetHealth?.State ?? "unavailable",
      reason: h.TargetHealth?.Reason ?? null,
      description: h.TargetHealth?.Description ?? null,
    }));
  })();
  const metricsP = lbP
    .catch(() => null)
    .then(async (lb) => {
      const defs = seriesDefs({ env, albDimension: lb?.dimension ?? null });
      const w = rangeWindow("1h", now);
      return toSeries(defs, await getMetricData(region, metricQueries(defs, w.periodSec), w.start, w.end, n.cluster));
    });
  const prefectP = (async () => {
    const lb = await lbP.catch(() => null);
    if (opts.prefect === false) return prefectOverview(null, null, "Not asked.");
    if (!lb) return prefectOverview(null, null);
    if (lb.domain?.state === "waiting")
      return prefectOverview(
        null,
        lb.scheme,
        `Waiting for DNS: ${lb.domain.name} does not point at the load balancer yet${lb.domain.managedBy === "you" ? ` (create ${lb.domain.record})` : ""}.`,
      );
    let authString: string | undefined;
    try {
      const tds = await taskDefsP.catch(() => new Map<string, TaskDefinition | undefined>());
      authString = await prefectAuthString(region, tds.get(n.serverService));
    } catch (err) {
      return prefectOverview(
        null,
        lb.scheme,
        `The Prefect auth secret could not be read: ${safeMessage(err, "Reading the Prefect auth secret")}`,
      );
    }
    return prefectOverview({ apiUrl: lb.apiUrl, ...(authString ? { authString } : {}) }, lb.scheme);
  })();

  const metrics = panel(metricsP, "CloudWatch metrics");
  const dbInstance = panel(dbP, "the database");
  const panels: SnapshotPanels = {
    services: panel(
      Promise.all([servicesP, taskDefsP.catch(() => new Map<string, TaskDefinition | undefined>())]).then(([{ services }, tds]) =>
        services
          .map((s) => {
            const td = tds.get(s.serviceName ?? "");
            return toServiceDto(s.serviceName === n.workerService ? "worker" : "server", s, {
              cpu: td?.cpu,
              memory: td?.memory,
              ...versionsOf(td),
            });
          })
          .sort((a, b) => a.role.localeCompare(b.role)),
      ),
      "ECS services",
    ),
    tasks: panel(
      tasksP.then((t) => sortTasks(t.map(toTaskDto))),
      "ECS tasks",
    ),
    loadBalancer: panel(lbP, "the load balancer"),
    targets: panel(targetsP, "target health"),
    // The database panel shows used storage from the metrics' FreeStorageSpace, so it waits for both.
    database: Promise.all([dbInstance, metrics]).then(([d, m]): Panel<DatabaseDto | null> => {
      if (!d.ok) return d;
      const free = m.ok ? (m.data.find((x) => x.id === "rds_free_storage")?.latest ?? null) : null;
      return { ok: true, data: d.data ? toDatabaseDto(d.data, free) : null };
    }),
    alarms: panel(alarmsP, "alarms"),
    scaling: panel(
      scalingP.then((ts) =>
        // One DescribeScalingPolicies per service that has a scalable target (at most 2): the target-tracking target.
        Promise.all(
          ts.map(async (t): Promise<ScalingDto> => {
            const policies = await describeScalingPolicies(region, t.ResourceId ?? "");
            const tt = policies.find((p) => p.PolicyType === "TargetTrackingScaling")?.TargetTrackingScalingPolicyConfiguration;
            return {
              service: (t.ResourceId ?? "").split("/").pop() ?? "?",
              min: t.MinCapacity ?? 0,
              max: t.MaxCapacity ?? 0,
              suspended: Boolean(t.SuspendedState?.DynamicScalingInSuspended || t.SuspendedState?.DynamicScalingOutSuspended),
              targetValue: tt?.TargetValue ?? null,
              targetMetric:
                tt?.PredefinedMetricSpecification?.PredefinedMetricType ?? tt?.CustomizedMetricSpecification?.MetricName ?? null,
            };
          }),
        ),
      ),
      "auto scaling",
    ),
    metrics,
    prefect: prefectP,
    runInProgress: runInProgress(db, env).catch(() => null),
  };
  const head: SnapshotHead = { env, region, stackStatus: stack.status, adopted: stack.adopted, takenAt: now, cluster: n.cluster };
  const keys = Object.keys(panels) as (keyof SnapshotPanels)[];
  const done = Promise.all(keys.map((k) => panels[k])).then((values): StackSnapshot => {
    const resolved = Object.fromEntries(keys.map((k, i) => [k, values[i]])) as unknown as ResolvedPanels;
    return { ...head, durationMs: Date.now() - started, ...resolved };
  });
  return { head, panels, done };
}

/** The whole snapshot, when every panel has its answer. */
export function buildSnapshot(
  db: Db,
  stack: Pick<StackRecord, "env" | "region" | "status" | "adopted">,
  opts: SnapshotOptions = {},
): Promise<StackSnapshot> {
  return startSnapshot(db, stack, opts).done;
}

/** The snapshot of a registered stack, or undefined when the console has no such stack. */
export async function stackSnapshot(db: Db, env: string, opts: SnapshotOptions = {}): Promise<StackSnapshot | undefined> {
  return (await stackSnapshotParts(db, env, opts))?.done;
}

/** The snapshot's parts (see startSnapshot), or undefined when the console has no such stack. */
export async function stackSnapshotParts(db: Db, env: string, opts: SnapshotOptions = {}): Promise<SnapshotParts | undefined> {
  const stack = await getStack(db, env);
  if (!stack) return undefined;
  return startSnapshot(db, stack, opts);
}

export type { ServiceDto };
