// The physics loop: every tick (default 1 s) it reads moto, advances task lifecycles, converges services, moves
// target health, writes logs, puts metrics and evaluates alarms. Ticks never overlap; a failing tick is logged and
// the next one tries again.
import { StopTaskCommand, type Task } from "@aws-sdk/client-ecs";
import type { MotoClients } from "../clients";
import { SandboxDns } from "../dns";
import { PrefectDatabases } from "../prefect/database";
import { probeTask } from "../prefect/stacks";
import type { LocalPostgres } from "../postgres";
import { clusterNameOf, type World } from "../world";
import type { SimulatorHooks } from "../aws-proxy/types";
import { AlarmPhysics } from "./alarms";
import { AutoScalingPhysics } from "./autoscaling";
import { isServerCommand } from "./commands";
import { requestStop } from "./lifecycle";
import { LogPhysics } from "./logs";
import { MetricPhysics } from "./metrics";
import { SubnetDirectory } from "./network";
import { networkOf, ServicePhysics } from "./services";
import { TargetPhysics } from "./targets";
import { Reachability } from "./reachability";
import { CliTaskPhysics } from "./cli-tasks";
import { TaskStartCheck } from "./task-start";
import { TaskDefCache } from "./taskdefs";
import { VpcFacts } from "./vpc";

export class Simulator implements SimulatorHooks {
  readonly services: ServicePhysics;
  readonly targets: TargetPhysics;
  readonly logs: LogPhysics;
  readonly metrics: MetricPhysics;
  readonly alarms: AlarmPhysics;
  readonly autoscaling: AutoScalingPhysics;
  readonly reachability: Reachability;
  readonly cliTasks: CliTaskPhysics;
  /** Prefect server tasks' logins to the RDS PostgreSQL (and the work pools stored there). */
  readonly databases: PrefectDatabases;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private world: World,
    private c: MotoClients,
    postgres?: LocalPostgres,
    dns: SandboxDns = new SandboxDns(world, c),
  ) {
    const taskDefs = new TaskDefCache(c.ecs);
    const vpc = new VpcFacts(c.ec2);
    this.services = new ServicePhysics(world, c, taskDefs, new SubnetDirectory(c.ec2, world.rng), vpc, new TaskStartCheck(world, c, vpc));
    this.targets = new TargetPhysics(world, c, probeTask);
    this.logs = new LogPhysics(world, c);
    this.metrics = new MetricPhysics(world, c);
    this.alarms = new AlarmPhysics(world, c);
    this.autoscaling = new AutoScalingPhysics(world, c, this.metrics.latest);
    this.reachability = new Reachability(world, vpc, dns);
    this.databases = new PrefectDatabases(world, c, postgres);
    this.cliTasks = new CliTaskPhysics(
      world,
      (t) => this.reachability.reach(t),
      async (server) => {
        if (server.db) return this.databases.workPools(server.db, server.clusterName);
        const pools = world.workPools.get(server.arn) ?? new Map();
        world.workPools.set(server.arn, pools);
        return pools;
      },
      (t) => c.ecs.send(new StopTaskCommand({ cluster: t.clusterArn, task: t.arn, reason: t.stoppedReason })),
    );
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      const began = Date.now();
      this.running = this.tick().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(loop, Math.max(0, this.world.config.tickMs - (Date.now() - began)));
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.databases.close();
  }

  async tick(): Promise<void> {
    const began = Date.now();
    const steps: Record<string, number> = {};
    const step = async (name: string, fn: () => Promise<void>) => {
      const t0 = Date.now();
      try {
        await fn();
      } catch (e) {
        this.world.lastTickError = `${name}: ${e instanceof Error ? e.message : String(e)}`;
        this.world.log(`tick ${name} failed: ${this.world.lastTickError}`);
      } finally {
        steps[name] = Date.now() - t0;
      }
    };
    await step("discover", () => this.services.discover(Date.now()));
    await step("advance", async () => {
      this.services.advance(Date.now());
      await this.services.flush();
    });
    // A Prefect server connects to its database as its container starts: before health checks and logs see it.
    await step("databases", () =>
      this.databases.tick(Date.now(), (t) => t.td.containers.some((c) => c.essential && isServerCommand(c.command))),
    );
    await step("enis", async () => this.recordEnis());
    await step("targets", () => this.targets.tick(Date.now()));
    await step("converge", () => this.services.converge(Date.now()));
    await step("reachability", () => this.reachability.tick(Date.now()));
    await step("cli tasks", () => this.cliTasks.tick(Date.now()));
    await step("logs", () => this.logs.tick(Date.now()));
    let published = false;
    await step("metrics", async () => {
      published = await this.metrics.tick(Date.now());
    });
    if (published) await step("autoscaling", () => this.autoscaling.tick(Date.now()));
    await step("alarms", () => this.alarms.tick(Date.now()));
    this.world.lastTickAt = Date.now();
    this.world.lastTickMs = this.world.lastTickAt - began;
    this.world.lastTickSteps = steps;
    this.world.tickCount++;
  }

  /** Which security groups each task's ENI holds (DeleteSecurityGroup is refused while one does). */
  private recordEnis(): void {
    const groups = this.world.taskSecurityGroups;
    for (const t of this.world.tasks.values()) {
      if (groups.has(t.arn) || !t.serviceName) continue;
      const cfg = this.world.services.get(`${t.clusterName}/${t.serviceName}`)?.networkConfiguration as
        { awsvpcConfiguration?: { securityGroups?: string[] } } | undefined;
      groups.set(t.arn, cfg?.awsvpcConfiguration?.securityGroups ?? []);
    }
    for (const arn of groups.keys()) if (!this.world.tasks.has(arn)) groups.delete(arn);
  }

  // ---- hooks the AWS proxy calls in line with product requests ----

  onServiceUpdated(clusterName: string, serviceName: string, taskDefinition: string | undefined, force: boolean): void {
    const key = `${clusterName}/${serviceName}`;
    const svc = this.world.services.get(key);
    if (!svc) {
      if (force) this.world.forceDeploy.add(key);
      return;
    }
    const primary = svc.deployments.find((d) => d.status === "PRIMARY");
    const td = taskDefinition ?? svc.taskDefinition;
    if (force || (primary && td && primary.taskDefinition !== td)) {
      svc.taskDefinition = td;
      this.services.startDeployment(svc, td, Date.now());
    }
  }

  async onTasksStarted(tasks: Record<string, unknown>[], networkConfiguration?: unknown): Promise<void> {
    for (const t of tasks) {
      const arn = typeof t.taskArn === "string" ? t.taskArn : undefined;
      if (!arn || this.world.tasks.has(arn)) continue;
      const clusterArn = String(t.clusterArn ?? "");
      const task = reviveDates(t);
      await this.services
        .adopt(task, clusterArn, clusterNameOf(clusterArn), Date.now(), undefined, networkOf(networkConfiguration))
        .catch((e: unknown) => this.world.log(`adopting ${arn} failed: ${String(e)}`));
    }
  }

  onTaskStopped(taskArn: string, reason: string): void {
    const t = this.world.tasks.get(taskArn);
    if (t) requestStop(t, Date.now(), { reason, stopCode: "UserInitiated" });
  }
}

/** moto's JSON task → the SDK's Task shape (only the fields adopt() reads). */
function reviveDates(t: Record<string, unknown>): Task {
  return {
    taskArn: t.taskArn as string,
    taskDefinitionArn: t.taskDefinitionArn as string,
    group: t.group as string | undefined,
    startedBy: t.startedBy as string | undefined,
    attachments: t.attachments as Task["attachments"],
  };
}
