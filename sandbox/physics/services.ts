// Plays the ECS service scheduler against moto: discovers clusters/services, keeps deployments and service events
// (which moto does not), launches tasks with RunTask and stops them with StopTask so every service converges to
// its desired count, rolls deployments one task at a time, and trips the circuit breaker on crashing tasks.
import { randomUUID } from "node:crypto";
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
} from "@aws-sdk/client-ecs";
import { DeregisterInstanceCommand, RegisterInstanceCommand } from "@aws-sdk/client-servicediscovery";
import type { MotoClients } from "../clients";
import { clusterNameOf, taskIdOf, type SimDeployment, type SimService, type SimTask, type TaskNetwork, type World } from "../world";
import { isFailingCommand } from "./commands";
import { advanceTask, isLive, requestStop } from "./lifecycle";
import type { SubnetDirectory } from "./network";
import { circuitBreakerThreshold, isDeploymentComplete, planRollout, primaryOf } from "./rollout";
import type { TaskStartCheck } from "./task-start";
import type { TaskDefCache } from "./taskdefs";
import { AWS_SECONDS } from "./timing";
import type { VpcFacts } from "./vpc";

export function newDeploymentId(world: World): string {
  let digits = String(1 + Math.floor(world.rng() * 9));
  while (digits.length < 19) digits += String(Math.floor(world.rng() * 10));
  return `ecs-svc/${digits}`;
}

export function addEvent(svc: SimService, message: string, now = Date.now()): void {
  svc.events.unshift({ id: randomUUID(), createdAt: now, message });
  if (svc.events.length > 100) svc.events.length = 100;
}

export class ServicePhysics {
  constructor(
    private world: World,
    private c: MotoClients,
    private taskDefs: TaskDefCache,
    private subnets: SubnetDirectory,
    private vpc: VpcFacts,
    private startCheck: TaskStartCheck,
  ) {}

  /** Read clusters and services from moto into the World; adopt tasks started by others; notice stopped ones. */
  async discover(now: number): Promise<void> {
    const listed = await this.listAll((token) =>
      this.c.ecs.send(new ListClustersCommand({ nextToken: token })).then((r) => ({ items: r.clusterArns, next: r.nextToken })),
    );
    // moto lists deleted (INACTIVE) clusters forever; reading each one's services and tasks every tick made a tick
    // grow with every stack a run had ever made. Only ACTIVE clusters run anything (DescribeClusters: ≤ 100 per call).
    const clusterArns: string[] = [];
    for (let i = 0; i < listed.length; i += 100) {
      const r = await this.c.ecs.send(new DescribeClustersCommand({ clusters: listed.slice(i, i + 100) }));
      for (const cl of r.clusters ?? []) if (cl.status === "ACTIVE" && cl.clusterArn) clusterArns.push(cl.clusterArn);
    }
    const seenServices = new Set<string>();
    const liveClusters = new Set<string>();
    for (const clusterArn of clusterArns) {
      const clusterName = clusterNameOf(clusterArn);
      liveClusters.add(clusterName);
      const serviceArns = await this.listAll((token) =>
        this.c.ecs
          .send(new ListServicesCommand({ cluster: clusterArn, nextToken: token }))
          .then((r) => ({ items: r.serviceArns, next: r.nextToken })),
      );
      for (let i = 0; i < serviceArns.length; i += 10) {
        const r = await this.c.ecs.send(new DescribeServicesCommand({ cluster: clusterArn, services: serviceArns.slice(i, i + 10) }));
        for (const s of r.services ?? []) {
          if (!s.serviceName) continue;
          const key = `${clusterName}/${s.serviceName}`;
          if (s.status === "ACTIVE") seenServices.add(key);
          this.upsertService(key, clusterArn, clusterName, s, now);
        }
      }
      await this.reconcileTasks(clusterArn, clusterName, now);
    }
    // Deleted services scale to zero and disappear once their tasks are gone; deleted clusters vanish at once.
    for (const [key, svc] of this.world.services) {
      if (!liveClusters.has(svc.clusterName)) {
        this.world.services.delete(key);
        continue;
      }
      if (!seenServices.has(key)) {
        svc.desiredCount = 0;
        if (!this.world.tasksOfService(key).some((t) => t.phase !== "STOPPED")) this.world.services.delete(key);
      }
    }
    for (const [arn, t] of this.world.tasks) {
      if (!liveClusters.has(t.clusterName)) this.world.tasks.delete(arn);
    }
  }

  private upsertService(key: string, clusterArn: string, clusterName: string, s: Service, now: number): void {
    let svc = this.world.services.get(key);
    const motoDeployment = s.deployments?.find((d) => d.status === "PRIMARY");
    if (!svc) {
      const createdAt = s.createdAt?.getTime() ?? motoDeployment?.createdAt?.getTime() ?? now;
      svc = {
        key,
        arn: s.serviceArn ?? "",
        name: s.serviceName ?? "",
        clusterArn,
        clusterName,
        desiredCount: s.desiredCount ?? 0,
        taskDefinition: s.taskDefinition ?? "",
        networkConfiguration: s.networkConfiguration,
        launchType: s.launchType ?? "FARGATE",
        loadBalancers: [],
        serviceRegistries: [],
        deployments: [
          {
            id: motoDeployment?.id ?? newDeploymentId(this.world),
            status: "PRIMARY",
            taskDefinition: s.taskDefinition ?? "",
            createdAt,
            updatedAt: createdAt,
            failedTasks: 0,
            rolloutState: "IN_PROGRESS",
            rolloutStateReason: "ECS deployment in progress.",
          },
        ],
        events: [],
        steady: false,
        nextLaunchAt: 0,
      };
      const first = svc.deployments[0];
      if (first) first.rolloutStateReason = `ECS deployment ${first.id} in progress.`;
      this.world.services.set(key, svc);
    }
    svc.desiredCount = s.status === "ACTIVE" ? (s.desiredCount ?? 0) : 0;
    svc.taskDefinition = s.taskDefinition ?? svc.taskDefinition;
    svc.networkConfiguration = s.networkConfiguration ?? svc.networkConfiguration;
    svc.loadBalancers = (s.loadBalancers ?? [])
      .filter((lb) => lb.targetGroupArn)
      .map((lb) => ({
        targetGroupArn: lb.targetGroupArn ?? "",
        containerName: lb.containerName ?? "",
        containerPort: lb.containerPort ?? 0,
      }));

    svc.serviceRegistries = (s.serviceRegistries ?? []).flatMap((r) => (r.registryArn ? [r.registryArn] : []));

    const primary = primaryOf(svc);
    const forced = this.world.forceDeploy.delete(key);
    if (primary && (primary.taskDefinition !== svc.taskDefinition || forced)) this.startDeployment(svc, svc.taskDefinition, now);
  }

  /** A new PRIMARY deployment (UpdateService with a new task definition or forceNewDeployment). */
  startDeployment(svc: SimService, taskDefinition: string, now: number): SimDeployment {
    for (const d of svc.deployments) {
      if (d.status === "PRIMARY") {
        d.status = "ACTIVE";
        d.updatedAt = now;
      }
    }
    const dep: SimDeployment = {
      id: newDeploymentId(this.world),
      status: "PRIMARY",
      taskDefinition,
      createdAt: now,
      updatedAt: now,
      failedTasks: 0,
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: "",
    };
    dep.rolloutStateReason = `ECS deployment ${dep.id} in progress.`;
    svc.deployments.unshift(dep);
    svc.steady = false;
    svc.nextLaunchAt = 0;
    return dep;
  }

  /** Notice tasks stopped behind the simulator's back (StopTask by the product) and adopt unknown running tasks. */
  private async reconcileTasks(clusterArn: string, clusterName: string, now: number): Promise<void> {
    const running = new Set(
      await this.listAll((token) =>
        this.c.ecs
          .send(new ListTasksCommand({ cluster: clusterArn, desiredStatus: "RUNNING", nextToken: token }))
          .then((r) => ({ items: r.taskArns, next: r.nextToken })),
      ),
    );
    for (const t of this.world.tasks.values()) {
      if (t.clusterName === clusterName && t.desiredStatus === "RUNNING" && !running.has(t.arn)) {
        requestStop(t, now, { reason: "Task stopped by user", stopCode: "UserInitiated" });
      }
    }
    // A RunTask through the proxy is being answered: its hook adopts the new tasks with their network configuration.
    if (now < this.world.runTaskInFlightUntil) return;
    const unknown = [...running].filter((arn) => !this.world.tasks.has(arn));
    for (let i = 0; i < unknown.length; i += 100) {
      const r = await this.c.ecs.send(new DescribeTasksCommand({ cluster: clusterArn, tasks: unknown.slice(i, i + 100) }));
      for (const task of r.tasks ?? []) await this.adopt(task, clusterArn, clusterName, now, undefined);
    }
  }

  /**
   * Make a SimTask for a moto task: plan its lifecycle from now, give it an IP in its subnet, and decide (as ECS
   * does before RUNNING) whether it can start at all. `network` is the awsvpc configuration it was launched with.
   */
  async adopt(
    task: Task,
    clusterArn: string,
    clusterName: string,
    now: number,
    deploymentId: string | undefined,
    network?: TaskNetwork,
  ): Promise<SimTask | undefined> {
    if (!task.taskArn || !task.taskDefinitionArn) return undefined;
    const td = await this.taskDefs.get(task.taskDefinitionArn);
    const details = task.attachments?.[0]?.details ?? [];
    const subnetId = details.find((d) => d.name === "subnetId")?.value ?? "";
    const net = await this.subnets.allocate(subnetId);
    const serviceName = task.group?.startsWith("service:") ? task.group.slice("service:".length) : undefined;
    const failing = td.containers.some((c) => c.essential && isFailingCommand(c.command));
    const jitter = () => 0.85 + this.world.rng() * 0.3;
    const pendingAt = now + this.world.scaled(AWS_SECONDS.taskProvisioning * jitter());
    const sim: SimTask = {
      arn: task.taskArn,
      id: taskIdOf(task.taskArn),
      clusterArn,
      clusterName,
      serviceName,
      group: task.group,
      startedBy: task.startedBy,
      deploymentId: deploymentId ?? task.startedBy,
      td,
      subnetId,
      // Discovery can list a console-launched task before the proxy's hook hands over its launch network: the proxy
      // recorded its security groups first (world.taskSecurityGroups).
      network: network ?? {
        subnets: [subnetId],
        securityGroups: this.world.taskSecurityGroups.get(task.taskArn) ?? [],
        assignPublicIp: false,
      },
      az: net.az,
      ip: net.ip,
      eniId: details.find((d) => d.name === "networkInterfaceId")?.value ?? net.eniId,
      mac: details.find((d) => d.name === "macAddress")?.value ?? net.mac,
      createdAt: now,
      pendingAt,
      runningAt: pendingAt + this.world.scaled(AWS_SECONDS.taskPending * jitter()),
      phase: "PROVISIONING",
      desiredStatus: "RUNNING",
      failing,
      logCarry: 0,
      bannerWritten: false,
      streamReady: false,
    };
    sim.vpcId = (await this.vpc.subnet(subnetId))?.vpcId;
    sim.startFailure = await this.startCheck.check(sim, now);
    if (sim.startFailure) sim.runningAt = Number.POSITIVE_INFINITY; // it never gets there
    // Adopted twice at once (discovery and the RunTask hook): the first one stays.
    const first = this.world.tasks.get(sim.arn);
    if (first) return first;
    this.world.tasks.set(sim.arn, sim);
    return sim;
  }

  /** Advance every task's lifecycle; count crashes against their deployment. */
  advance(now: number): void {
    for (const t of this.world.tasks.values()) {
      const svc = t.serviceName ? this.world.services.get(`${t.clusterName}/${t.serviceName}`) : undefined;
      const lbBound = !!svc && svc.loadBalancers.length > 0 && [...this.world.targets.values()].some((x) => x.taskArn === t.arn);
      const events = advanceTask(t, now, (s) => this.world.scaled(s), lbBound);
      this.syncCloudMap(t, svc, events.includes("running"));
      if (!svc) continue;
      for (const e of events) {
        if (e === "crashed") this.onCrash(svc, t, now);
      }
    }
    // Forget long-stopped tasks (moto still has them for DescribeTasks).
    const keep = Math.max(this.world.scaled(AWS_SECONDS.stoppedTaskRetention), 10 * 60_000);
    for (const [arn, t] of this.world.tasks) {
      if (t.phase === "STOPPED" && t.stoppedAt !== undefined && now - t.stoppedAt > keep) {
        this.subnets.release(t.subnetId, t.ip);
        this.world.tasks.delete(arn);
      }
    }
  }

  /**
   * Cloud Map service discovery, as ECS does it for a service with serviceRegistries: a task that reaches RUNNING is
   * registered (instance id = task id, AWS_INSTANCE_IPV4 = its private IP); it is deregistered as soon as it is
   * asked to stop.
   */
  private syncCloudMap(t: SimTask, svc: SimService | undefined, becameRunning: boolean): void {
    if (becameRunning && svc && svc.serviceRegistries.length > 0 && t.desiredStatus === "RUNNING") {
      t.cloudMapServiceIds = svc.serviceRegistries.map((arn) => arn.split("/").pop() ?? arn);
      for (const serviceId of t.cloudMapServiceIds) {
        this.pending.push(
          this.c.sd
            .send(
              new RegisterInstanceCommand({
                ServiceId: serviceId,
                InstanceId: t.id,
                Attributes: {
                  AWS_INSTANCE_IPV4: t.ip,
                  AWS_INIT_HEALTH_STATUS: "HEALTHY",
                  AVAILABILITY_ZONE: t.az,
                  REGION: this.world.config.region,
                  ECS_CLUSTER_NAME: t.clusterName,
                  ECS_SERVICE_NAME: svc.name,
                  ECS_TASK_DEFINITION_FAMILY: t.td.family,
                },
              }),
            )
            .catch((e: unknown) => this.world.log(`Cloud Map RegisterInstance ${serviceId} failed: ${String(e)}`)),
        );
      }
    } else if (t.cloudMapServiceIds && (t.desiredStatus !== "RUNNING" || t.phase !== "RUNNING")) {
      for (const serviceId of t.cloudMapServiceIds) {
        this.pending.push(this.c.sd.send(new DeregisterInstanceCommand({ ServiceId: serviceId, InstanceId: t.id })).catch(() => undefined));
      }
      t.cloudMapServiceIds = undefined;
    }
  }

  /** moto calls made from synchronous code; awaited before the next discovery so moto and the World agree. */
  private pending: Promise<unknown>[] = [];

  async flush(): Promise<void> {
    const p = this.pending;
    this.pending = [];
    await Promise.allSettled(p);
  }

  private onCrash(svc: SimService, t: SimTask, now: number): void {
    this.pending.push(this.c.ecs.send(new StopTaskCommand({ cluster: t.clusterArn, task: t.arn, reason: t.stoppedReason })));
    svc.nextLaunchAt = now + this.world.scaled(AWS_SECONDS.relaunchBackoff);
    const dep = svc.deployments.find((d) => d.id === t.deploymentId);
    if (!dep) return;
    dep.failedTasks++;
    dep.updatedAt = now;
    const cfg = this.world.requestedConfig.get(svc.key);
    const cb = cfg?.circuitBreaker;
    if (!cb?.enable || dep.status !== "PRIMARY" || dep.rolloutState !== "IN_PROGRESS") return;
    if (dep.failedTasks < circuitBreakerThreshold(svc.desiredCount)) return;
    dep.rolloutState = "FAILED";
    dep.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
    addEvent(svc, `(service ${svc.name}) (deployment ${dep.id}) deployment failed: tasks failed to start.`, now);
    const previous = svc.lastCompletedTaskDef;
    if (cb.rollback && previous && previous !== dep.taskDefinition) {
      const back = this.startDeployment(svc, previous, now);
      back.rolloutStateReason = `ECS deployment detected failure. Rolling back to ${previous}.`;
      svc.taskDefinition = previous;
      addEvent(svc, `(service ${svc.name}) rolling back to deployment ${back.id}.`, now);
      // Make moto agree, so DescribeServices' taskDefinition shows the rolled-back revision.
      this.pending.push(
        this.c.ecs
          .send(new UpdateServiceCommand({ cluster: svc.clusterArn, service: svc.name, taskDefinition: previous }))
          .catch((e: unknown) => this.world.log(`rollback UpdateService failed: ${String(e)}`)),
      );
    }
  }

  /** Whether the scheduler counts t as healthy: running, and healthy in every target group of its service. */
  healthy(svc: SimService, t: SimTask): boolean {
    if (t.phase !== "RUNNING" || t.desiredStatus !== "RUNNING") return false;
    return svc.loadBalancers.every((lb) =>
      [...this.world.targets.values()].some((x) => x.taskArn === t.arn && x.targetGroupArn === lb.targetGroupArn && x.state === "healthy"),
    );
  }

  /** Plan and act for every service; then mark deployments complete and steady states. */
  async converge(now: number): Promise<void> {
    for (const svc of this.world.services.values()) {
      const tasks = this.world.tasksOfService(svc.key);
      const healthy = (t: SimTask) => this.healthy(svc, t);
      const cfg = this.world.requestedConfig.get(svc.key);
      const plan = planRollout({
        service: svc,
        tasks,
        healthy,
        maximumPercent: cfg?.maximumPercent ?? 200,
        minimumHealthyPercent: cfg?.minimumHealthyPercent ?? 100,
        now,
      });
      if (plan.stop.length > 0) {
        svc.steady = false;
        const runningStopped: string[] = [];
        for (const { task, reason } of plan.stop) {
          if (task.phase === "RUNNING") runningStopped.push(task.id);
          requestStop(task, now, { reason, stopCode: "ServiceSchedulerInitiated" });
          await this.c.ecs.send(new StopTaskCommand({ cluster: task.clusterArn, task: task.arn, reason })).catch(() => {});
        }
        if (runningStopped.length > 0) {
          addEvent(
            svc,
            `(service ${svc.name}) has stopped ${runningStopped.length} running tasks: ${runningStopped.map((id) => `(task ${id})`).join(" ")}.`,
            now,
          );
        }
      }
      if (plan.start > 0) await this.launch(svc, plan.start, now);
      this.settle(svc, now);
    }
  }

  private async launch(svc: SimService, count: number, now: number): Promise<void> {
    const primary = primaryOf(svc);
    if (!primary) return;
    svc.steady = false;
    const started: string[] = [];
    for (let left = count; left > 0; left -= 10) {
      const r = await this.c.ecs
        .send(
          new RunTaskCommand({
            cluster: svc.clusterArn,
            taskDefinition: primary.taskDefinition,
            count: Math.min(10, left),
            launchType: svc.launchType === "EC2" ? "EC2" : "FARGATE",
            networkConfiguration: svc.networkConfiguration as never,
            group: `service:${svc.name}`,
            startedBy: primary.id,
          }),
        )
        .catch((e: unknown) => {
          this.world.log(`RunTask for ${svc.key} failed: ${String(e)}`);
          svc.nextLaunchAt = now + this.world.scaled(AWS_SECONDS.relaunchBackoff);
          return undefined;
        });
      for (const task of r?.tasks ?? []) {
        const sim = await this.adopt(task, svc.clusterArn, svc.clusterName, now, primary.id, networkOf(svc.networkConfiguration));
        if (sim) started.push(sim.id);
      }
    }
    if (started.length > 0) {
      addEvent(svc, `(service ${svc.name}) has started ${started.length} tasks: ${started.map((id) => `(task ${id})`).join(" ")}.`, now);
    }
  }

  /** Deployment completion and the "steady state" event. */
  private settle(svc: SimService, now: number): void {
    const tasks = this.world.tasksOfService(svc.key);
    const healthy = (t: SimTask) => this.healthy(svc, t);
    const primary = primaryOf(svc);
    if (!primary) return;
    if (isDeploymentComplete(svc, tasks, healthy)) {
      if (primary.rolloutState === "IN_PROGRESS") {
        primary.rolloutState = "COMPLETED";
        primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
        primary.updatedAt = now;
        svc.lastCompletedTaskDef = primary.taskDefinition;
        addEvent(svc, `(service ${svc.name}) (deployment ${primary.id}) deployment completed.`, now);
      }
      svc.deployments = svc.deployments.filter((d) => d.status === "PRIMARY");
      const settling = tasks.some((t) => !isLive(t) && t.phase !== "STOPPED");
      if (!svc.steady && !settling && primary.rolloutState === "COMPLETED") {
        svc.steady = true;
        addEvent(svc, `(service ${svc.name}) has reached a steady state.`, now);
      }
    } else {
      // Old deployments that have no live task left disappear from the list (ECS marks them INACTIVE).
      svc.deployments = svc.deployments.filter((d) => d.status === "PRIMARY" || tasks.some((t) => isLive(t) && t.deploymentId === d.id));
    }
  }

  private async listAll(page: (token: string | undefined) => Promise<{ items?: string[]; next?: string }>): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await page(token);
      out.push(...(r.items ?? []));
      token = r.next;
      if (!token) break;
    }
    return out;
  }
}

/** The awsvpcConfiguration of a service or RunTask request (SDK or JSON shape). */
export function networkOf(cfg: unknown): TaskNetwork | undefined {
  const v = (cfg as { awsvpcConfiguration?: { subnets?: string[]; securityGroups?: string[]; assignPublicIp?: string } } | undefined)
    ?.awsvpcConfiguration;
  if (!v) return undefined;
  return { subnets: v.subnets ?? [], securityGroups: v.securityGroups ?? [], assignPublicIp: v.assignPublicIp === "ENABLED" };
}
