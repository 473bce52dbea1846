// Run-time knobs for tests and demos (JSON over HTTP):
//   GET  /state                      summary of what the simulator sees
//   GET  /faults | POST /faults {…} | DELETE /faults     fault injection in the AWS proxy
//   GET  /calls  | DELETE /calls     product calls per "service:Operation" seen by the AWS proxy
//   POST /cpu {cluster, service, percent|null}           pin a service's CPU (e.g. 95) or release it
//   POST /log-rate {linesPerTaskPerSec}                  log volume per running task
//   POST /rds/maintenance {dbInstanceIdentifier?}        the maintenance window arrives: pending changes apply
//   GET  /live-tail · POST /live-tail/interrupt          Live Tail sessions; end them all with a streaming error
//   POST /rds/connect {url}                              log in to postgresql://user:password@<RDS endpoint>:port/db as
//                                                        a client in the VPC would (the sandbox's PostgreSQL behind RDS)
//   POST /prefect/work-pools {cluster}                   the work pools of the cluster's running Prefect server, as
//                                                        `prefect work-pool ls` from inside the VPC would show them (an
//                                                        internal ALB never answers the tests, who sit outside it)
import http from "node:http";
import { z } from "zod";
import { applyMaintenance } from "./aws-proxy/rds";
import type { AwsProxy } from "./aws-proxy/server";
import { FaultConfigSchema } from "./aws-proxy/faults";
import { closeServer, listenEphemeral, readBody, trackSockets } from "./util/net";
import { isServerCommand } from "./physics/commands";
import { databaseSettings, type PrefectDatabases } from "./prefect/database";
import type { World } from "./world";

const CpuSchema = z
  .object({ cluster: z.string().min(1), service: z.string().min(1), percent: z.number().min(0).max(100).nullable() })
  .strict();
const LogRateSchema = z.object({ linesPerTaskPerSec: z.number().min(0).max(100_000) }).strict();
const MaintenanceSchema = z.object({ dbInstanceIdentifier: z.string().optional() }).strict();
const ConnectSchema = z.object({ url: z.string().min(1) }).strict();
const PoolsSchema = z.object({ cluster: z.string().min(1) }).strict();

export interface AdminServer {
  url: string;
  close(): Promise<void>;
}

export function stateSummary(world: World, proxy: AwsProxy) {
  const now = Date.now();
  return {
    config: world.config,
    ticks: world.tickCount,
    lastTickAt: world.lastTickAt ? new Date(world.lastTickAt).toISOString() : null,
    lastTickMs: world.lastTickMs,
    lastTickSteps: world.lastTickSteps,
    lastTickError: world.lastTickError ?? null,
    services: [...world.services.values()].map((s) => {
      const tasks = world.tasksOfService(s.key);
      return {
        cluster: s.clusterName,
        service: s.name,
        desired: s.desiredCount,
        running: tasks.filter((t) => t.phase === "RUNNING" && t.desiredStatus === "RUNNING").length,
        pending: tasks.filter((t) => ["PROVISIONING", "PENDING", "ACTIVATING"].includes(t.phase) && t.desiredStatus === "RUNNING").length,
        deployments: s.deployments.map((d) => ({
          id: d.id,
          status: d.status,
          rolloutState: d.rolloutState,
          taskDefinition: d.taskDefinition,
          failedTasks: d.failedTasks,
        })),
        cpuOverride: world.cpuOverride.get(s.key) ?? null,
      };
    }),
    tasks: [...world.tasks.values()].map((t) => ({
      id: t.id,
      cluster: t.clusterName,
      service: t.serviceName ?? null,
      phase: t.phase,
      desiredStatus: t.desiredStatus,
      ip: t.ip,
      failing: t.failing,
    })),
    targets: [...world.targets.values()].map((t) => ({ targetGroupArn: t.targetGroupArn, id: t.id, port: t.port, state: t.state })),
    rds: Object.fromEntries(
      [...world.rds.entries()].map(([id, l]) => [
        id,
        { pendingModification: l.modification?.pending ?? null, appliesAt: l.modification?.applyAt ?? null, deleting: !!l.deleting },
      ]),
    ),
    workPools: Object.fromEntries([...world.workPools.entries()].map(([c, pools]) => [c, [...pools.keys()]])),
    faults: proxy.faults.current ?? null,
    injected: proxy.faults.injected,
    uptimeSec: Math.round((now - world.startedAt) / 1000),
  };
}

export async function startAdmin(world: World, proxy: AwsProxy, databases?: PrefectDatabases): Promise<AdminServer> {
  const server = http.createServer((req, res) => {
    void route(req).then(
      ([status, payload]) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload, null, 2));
      },
      (e: unknown) => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e) }));
      },
    );
  });
  const sockets = trackSockets(server);

  async function route(req: http.IncomingMessage): Promise<[number, unknown]> {
    const path = (req.url ?? "/").split("?")[0];
    const method = req.method ?? "GET";
    const raw = (await readBody(req)).toString("utf8");
    const body: unknown = raw.trim() ? JSON.parse(raw) : {};
    switch (`${method} ${path}`) {
      case "GET /":
      case "GET /state":
        return [200, stateSummary(world, proxy)];
      case "GET /faults":
        return [200, { faults: proxy.faults.current ?? null, injected: proxy.faults.injected }];
      case "POST /faults": {
        const cfg = FaultConfigSchema.parse(body);
        proxy.faults.set(cfg);
        world.log(`faults set: ${JSON.stringify(cfg)}`);
        return [200, { faults: cfg }];
      }
      case "DELETE /faults":
        proxy.faults.clear();
        return [200, { faults: null }];
      case "GET /calls":
        return [
          200,
          { calls: Object.fromEntries([...proxy.calls.entries()].sort()), total: [...proxy.calls.values()].reduce((a, b) => a + b, 0) },
        ];
      case "DELETE /calls":
        proxy.calls.clear();
        return [200, { calls: {}, total: 0 }];
      case "POST /cpu": {
        const { cluster, service, percent } = CpuSchema.parse(body);
        const key = `${cluster}/${service}`;
        if (percent === null) world.cpuOverride.delete(key);
        else world.cpuOverride.set(key, percent);
        return [200, { service: key, percent }];
      }
      case "POST /log-rate": {
        const { linesPerTaskPerSec } = LogRateSchema.parse(body);
        world.config.logLinesPerTaskPerSec = linesPerTaskPerSec;
        return [200, { linesPerTaskPerSec }];
      }
      case "GET /live-tail":
        return [200, { open: proxy.liveTail.sessions.size, started: proxy.liveTail.started, refused: proxy.liveTail.refused }];
      case "POST /live-tail/interrupt":
        return [200, { interrupted: proxy.liveTail.interruptAll() }];
      case "POST /rds/maintenance": {
        const { dbInstanceIdentifier } = MaintenanceSchema.parse(body);
        return [200, { applying: applyMaintenance(world, dbInstanceIdentifier, Date.now()) }];
      }
      case "POST /rds/connect": {
        const settings = databaseSettings({ PREFECT_API_DATABASE_CONNECTION_URL: ConnectSchema.parse(body).url });
        if (!settings || !databases) return [400, { error: "a postgresql:// URL is needed" }];
        const r = await databases.tryLogin(settings, Date.now());
        return [200, r.kind === "ok" ? { ok: true } : { ok: false, error: r.kind === "failed" ? r.error : "not PostgreSQL" }];
      }
      case "POST /prefect/work-pools": {
        const { cluster } = PoolsSchema.parse(body);
        const server = [...world.tasks.values()].find(
          (t) => t.clusterName === cluster && t.phase === "RUNNING" && t.td.containers.some((c) => isServerCommand(c.command)),
        );
        if (!server) return [404, { error: `no running Prefect server in cluster ${cluster}` }];
        const pools = server.db && databases ? await databases.workPools(server.db, cluster) : world.workPools.get(server.arn);
        return [200, [...(pools?.values() ?? [])].map((p) => ({ name: p.name, type: p.type, base_job_template: p.base_job_template }))];
      }
    }
    return [404, { error: `no such endpoint: ${method} ${path}` }];
  }

  const port = await listenEphemeral(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server, sockets) };
}
