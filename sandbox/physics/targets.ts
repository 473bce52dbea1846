// Plays the ALB target group side: registers RUNNING service tasks (their IP + container port) in their target
// groups, turns them healthy after the health check's interval × healthy-threshold (scaled) if the task actually
// answers the health check path, drains them for the deregistration delay when they stop, then deregisters.
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { MotoClients } from "../clients";
import { targetKey, type SimService, type SimTask, type TargetGroupInfo, type World } from "../world";
import { isLive } from "./lifecycle";
import { addEvent } from "./services";

/** Does the task answer GET path with a 2xx? (The Prefect stand-in decides for Prefect containers.) */
export type HealthProbe = (task: SimTask, containerName: string, path: string) => boolean;

export class TargetPhysics {
  private tgFetchedAt = new Map<string, number>();
  constructor(
    private world: World,
    private c: MotoClients,
    private probe: HealthProbe,
  ) {}

  async targetGroup(arn: string, now: number): Promise<TargetGroupInfo | undefined> {
    const cached = this.world.targetGroups.get(arn);
    if (cached && now - (this.tgFetchedAt.get(arn) ?? 0) < 10_000) return cached;
    try {
      const r = await this.c.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }));
      const tg = r.TargetGroups?.[0];
      if (!tg) return undefined;
      const attrs = await this.c.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })).catch(() => undefined);
      const dereg = Number(attrs?.Attributes?.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value ?? "300");
      const info: TargetGroupInfo = {
        arn,
        name: tg.TargetGroupName ?? "",
        healthCheckPath: tg.HealthCheckPath ?? "/",
        intervalSec: tg.HealthCheckIntervalSeconds ?? 30,
        healthyThreshold: tg.HealthyThresholdCount ?? 5,
        deregDelaySec: Number.isFinite(dereg) ? dereg : 300,
        loadBalancerArns: tg.LoadBalancerArns ?? [],
      };
      this.world.targetGroups.set(arn, info);
      this.tgFetchedAt.set(arn, now);
      return info;
    } catch {
      return cached; // deleted or transient: keep what we knew
    }
  }

  async tick(now: number): Promise<void> {
    for (const svc of this.world.services.values()) {
      for (const lb of svc.loadBalancers) await this.syncBinding(svc, lb.targetGroupArn, lb.containerName, lb.containerPort, now);
    }
    // Targets whose task or service vanished entirely (cluster deleted…): drop them.
    for (const [k, target] of this.world.targets) {
      if (!this.world.tasks.has(target.taskArn)) {
        await this.deregister(target.targetGroupArn, target.id, target.port);
        this.world.targets.delete(k);
      }
    }
  }

  private async syncBinding(svc: SimService, tgArn: string, containerName: string, port: number, now: number) {
    const tg = await this.targetGroup(tgArn, now);
    if (!tg) return;
    const tasks = this.world.tasksOfService(svc.key);
    const registered: string[] = [];
    for (const t of tasks) {
      if (t.phase !== "RUNNING" || !isLive(t) || t.failing) continue;
      const k = targetKey(tgArn, t.ip, port);
      if (this.world.targets.has(k)) continue;
      try {
        await this.c.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: t.ip, Port: port }] }));
      } catch (e) {
        this.world.log(`RegisterTargets ${tg.name} failed: ${String(e)}`);
        continue;
      }
      this.world.targets.set(k, {
        targetGroupArn: tgArn,
        id: t.ip,
        port,
        taskArn: t.arn,
        serviceKey: svc.key,
        state: "initial",
        registeredAt: now,
      });
      registered.push(t.id);
    }
    if (registered.length > 0)
      addEvent(svc, `(service ${svc.name}) registered ${registered.length} targets in (target-group ${tgArn})`, now);

    const checkAfter = this.world.scaled(tg.intervalSec * tg.healthyThreshold);
    let draining = 0;
    const deregistered: string[] = [];
    for (const [k, target] of this.world.targets) {
      if (target.targetGroupArn !== tgArn || target.serviceKey !== svc.key) continue;
      const task = this.world.tasks.get(target.taskArn);
      if (!task) continue;
      if (!isLive(task) && target.state !== "draining") {
        target.state = "draining";
        target.drainingUntil = now + this.world.scaled(tg.deregDelaySec);
        draining++;
        continue;
      }
      if (target.state === "draining") {
        if (now >= (target.drainingUntil ?? now)) {
          await this.deregister(tgArn, target.id, target.port);
          this.world.targets.delete(k);
          task.deactivatedAt = now;
          deregistered.push(task.id);
        }
        continue;
      }
      if (now - target.registeredAt >= checkAfter) {
        target.state = this.probe(task, containerName, tg.healthCheckPath) ? "healthy" : "unhealthy";
      }
    }
    if (draining > 0) addEvent(svc, `(service ${svc.name}) has begun draining connections on ${draining} tasks.`, now);
    if (deregistered.length > 0)
      addEvent(svc, `(service ${svc.name}) deregistered ${deregistered.length} targets in (target-group ${tgArn})`, now);
  }

  private async deregister(tgArn: string, id: string, port: number): Promise<void> {
    await this.c.elb
      .send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id, Port: port }] }))
      .catch(() => undefined);
  }
}
