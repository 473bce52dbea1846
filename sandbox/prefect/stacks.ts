// Finds, for a load balancer DNS name, what an ALB would do with a request: which listener and target group, which
// healthy targets, and — behind them — which stack (ECS cluster) the Prefect stand-in answers for, with its work
// pools, workers (the RUNNING worker tasks of that cluster) and optional basic auth from the task definition.
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  type Action,
  type LoadBalancer,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { MotoClients } from "../clients";
import { secretValueFrom } from "../secrets";
import { createPoolIfAbsent, type PrefectDatabases } from "./database";
import { isServerCommand, parseWorkerCommand, workerDisplayName } from "../physics/commands";
import { AWS_SECONDS } from "../physics/timing";
import type { SimTask, TaskDefInfo, World } from "../world";
import { newPool, type PrefectContext, type WorkerView } from "./api";

export type Route =
  | { kind: "unknown-host" }
  | { kind: "no-listener" }
  | { kind: "fixed"; status: number; contentType: string; body: string }
  | { kind: "unavailable"; lbArn: string } // 503: no healthy target
  | { kind: "target"; lbArn: string; task: SimTask };

const DEFAULT_VERSION = "3.4.11";

export class StackDirectory {
  private lbCache: { at: number; lbs: LoadBalancer[] } | undefined;
  private listenerCache = new Map<string, { at: number; listeners: { port: number; protocol: string; actions: Action[] }[] }>();
  private authCache = new Map<string, { at: number; value: string | undefined }>();
  private stackStart = new Map<string, number>();

  constructor(
    private world: World,
    private c: MotoClients,
    private databases?: PrefectDatabases,
  ) {}

  private async loadBalancers(now: number): Promise<LoadBalancer[]> {
    if (this.lbCache && now - this.lbCache.at < 1000) return this.lbCache.lbs;
    const lbs: LoadBalancer[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await this.c.elb.send(new DescribeLoadBalancersCommand({ Marker: marker }));
      lbs.push(...(r.LoadBalancers ?? []));
      marker = r.NextMarker;
      if (!marker) break;
    }
    this.lbCache = { at: now, lbs };
    return lbs;
  }

  private async listeners(lbArn: string, now: number) {
    const cached = this.listenerCache.get(lbArn);
    if (cached && now - cached.at < 1000) return cached.listeners;
    const r = await this.c.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn })).catch(() => undefined);
    const listeners = (r?.Listeners ?? []).map((l) => ({
      port: l.Port ?? 0,
      protocol: l.Protocol ?? "HTTP",
      actions: l.DefaultActions ?? [],
    }));
    this.listenerCache.set(lbArn, { at: now, listeners });
    return listeners;
  }

  async route(host: string, port: number, now: number): Promise<Route> {
    const lbs = await this.loadBalancers(now);
    const lb = lbs.find((l) => l.DNSName?.toLowerCase() === host.toLowerCase());
    if (!lb?.LoadBalancerArn) return { kind: "unknown-host" };
    const lbArn = lb.LoadBalancerArn;
    const created = this.world.lbCreatedAt.get(lbArn);
    if (created !== undefined && now < created + this.world.scaled(AWS_SECONDS.albProvision)) return { kind: "unavailable", lbArn };
    const listeners = await this.listeners(lbArn, now);
    // A port-80 redirect to HTTPS is served as the HTTPS listener would, so plain-HTTP clients keep working.
    const byPort = listeners.find((l) => l.port === port);
    if (!byPort) return { kind: "no-listener" };
    let action = byPort.actions[0];
    if (action?.Type === "redirect") {
      const https = listeners.find((l) => l.protocol === "HTTPS" && l.actions[0]?.Type === "forward");
      action = https?.actions[0] ?? action;
    }
    if (action?.Type === "fixed-response") {
      const f = action.FixedResponseConfig;
      return {
        kind: "fixed",
        status: Number(f?.StatusCode ?? "200"),
        contentType: f?.ContentType ?? "text/plain",
        body: f?.MessageBody ?? "",
      };
    }
    const tgArn = action?.TargetGroupArn ?? action?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn;
    if (!tgArn) return { kind: "unavailable", lbArn };
    const healthy = [...this.world.targets.values()].filter((t) => t.targetGroupArn === tgArn && t.state === "healthy");
    if (healthy.length === 0) return { kind: "unavailable", lbArn };
    const pick = healthy[Math.floor(this.world.rng() * healthy.length)];
    const task = pick ? this.world.tasks.get(pick.taskArn) : undefined;
    if (!task) return { kind: "unavailable", lbArn };
    return { kind: "target", lbArn, task };
  }

  /** The Prefect server's view of its stack (the ECS cluster of the server task). */
  async context(server: SimTask, now: number): Promise<PrefectContext> {
    const cluster = server.clusterName;
    // With PostgreSQL the pools live in the server's database and outlive the task; with Prefect's default SQLite
    // they live in the container's file system and go with it.
    let pools = server.db && this.databases ? await this.databases.workPools(server.db, cluster) : this.world.workPools.get(server.arn);
    if (!pools) {
      pools = new Map();
      this.world.workPools.set(server.arn, pools);
    }
    const workers = this.workers(cluster, now);
    // `prefect worker start --pool X --type T` creates its pool when it does not exist yet.
    for (const t of this.world.tasks.values()) {
      if (t.clusterName !== cluster || t.phase !== "RUNNING" || !t.api?.reachable) continue;
      for (const c of t.td.containers) {
        const w = parseWorkerCommand(c.command);
        if (!w || pools.has(w.pool)) continue;
        const pool = newPool(w.pool, w.type ?? "process", t.startedAt ?? now);
        // Another request may have created it since this snapshot was read: never overwrite that one.
        createPoolIfAbsent(pools, w.pool, pool);
      }
    }
    if (!this.stackStart.has(cluster)) this.stackStart.set(cluster, server.startedAt ?? now);
    const minutes = Math.max(0, (now - (this.stackStart.get(cluster) ?? now)) / this.world.scaled(60));
    const online = workers.filter((w) => w.online).length;
    const m = Math.floor(minutes);
    return {
      version: versionOf(server.td),
      authString: await this.authString(server.td, now),
      pools,
      workers,
      flowRunsByStateName: {
        Completed: Math.floor(minutes * 3 * Math.max(1, online)),
        Running: online > 0 ? 1 + (m % 3) : 0,
        Pending: online > 0 ? m % 2 : 0,
        Scheduled: online > 0 ? 5 + (Math.floor(m / 2) % 4) : 0,
        Late: online > 0 ? 0 : 2 + (m % 3),
        Failed: Math.floor(minutes / 7),
        Crashed: Math.floor(minutes / 30),
        Cancelled: Math.floor(minutes / 20),
      },
      now,
    };
  }

  workers(cluster: string, now: number): WorkerView[] {
    const out: WorkerView[] = [];
    const beat = this.world.scaled(AWS_SECONDS.workerHeartbeat);
    for (const t of this.world.tasks.values()) {
      // A worker exists for the server once one of its heartbeats got through (physics/reachability.ts).
      const lastOk = t.api?.lastOkAt;
      if (t.clusterName !== cluster || t.startedAt === undefined || t.failing || lastOk === undefined) continue;
      for (const c of t.td.containers) {
        const w = parseWorkerCommand(c.command);
        if (!w) continue;
        const alive = t.phase === "RUNNING" && t.desiredStatus === "RUNNING" && t.api?.reachable === true;
        const last = alive ? now - ((now - t.startedAt) % beat) : Math.min(lastOk, t.stoppingAt ?? t.stoppedAt ?? now);
        // Prefect: OFFLINE once no heartbeat for 3 × the heartbeat interval; forgotten after a while.
        if (!alive && now - last > this.world.scaled(3600)) continue;
        out.push({
          id: t.id,
          name: workerDisplayName(w, t.id),
          pool: w.pool,
          created: t.startedAt,
          lastHeartbeat: last,
          online: alive || now - last < 3 * beat,
        });
      }
    }
    return out;
  }

  private async authString(td: TaskDefInfo, now: number): Promise<string | undefined> {
    const cached = this.authCache.get(td.arn);
    if (cached && now - cached.at < 2000) return cached.value;
    let value: string | undefined;
    for (const c of td.containers) {
      const env = c.environment.find((e) => e.name === "PREFECT_SERVER_API_AUTH_STRING");
      if (env) value = env.value;
      const secret = c.secrets.find((s) => s.name === "PREFECT_SERVER_API_AUTH_STRING");
      if (secret) value = await secretValueFrom(this.c, secret.valueFrom);
    }
    this.authCache.set(td.arn, { at: now, value });
    return value;
  }
}

function versionOf(td: TaskDefInfo): string {
  for (const c of td.containers) {
    const tag = c.image.split(":")[1] ?? "";
    const m = /^(\d+\.\d+\.\d+)/.exec(tag);
    if (m?.[1]) return m[1];
  }
  return DEFAULT_VERSION;
}

/** The ALB health check as the task would answer it: Prefect servers serve /api/health etc.; workers serve nothing. */
export function probeTask(task: SimTask, containerName: string, path: string): boolean {
  if (task.failing) return false;
  const c = task.td.containers.find((x) => x.name === containerName) ?? task.td.containers[0];
  if (!c) return false;
  if (c.command.length === 0) return true; // image default: assume it serves its port
  if (!isServerCommand(c.command)) return false;
  // Prefect connects to (and migrates) its database before it serves: nothing answers until that check is done.
  if (!task.dbChecked) return false;
  const p = path.split("?")[0] ?? "/";
  return p === "/" || ["/api/health", "/api/ready", "/api/hello", "/api/version", "/api/admin/version"].includes(p.replace(/\/+$/, ""));
}
