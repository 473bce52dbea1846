// ECS answers as AWS gives them: DescribeServices carries the simulator's deployments, events and counts (moto
// has none of them), DescribeTasks carries each task's real lifecycle fields, ListTasks defaults to RUNNING and
// honours serviceName, and CreateService/UpdateService requests are remembered (moto drops the circuit breaker).
import { clusterNameOf, serviceNameOf, type SimTask, type World } from "../world";
import { isLive } from "../physics/lifecycle";
import { isDraining } from "./rules";
import type { ProxyEnv, RewriterTable } from "./types";

type Json = Record<string, unknown>;
const RUN_TASK_ADOPTION_GRACE_MS = 5_000;
const sec = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms) / 1000);

function parse(body: string): Json | undefined {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return undefined;
  }
}

export function overlayService(world: World, s: Json): Json {
  const name = String(s.serviceName ?? "");
  const clusterName = clusterNameOf(String(s.clusterArn ?? ""));
  const key = `${clusterName}/${name}`;
  const sim = world.services.get(key);
  const tasks = world.tasksOfService(key);
  const live = tasks.filter(isLive);
  const running = (ts: SimTask[]) => ts.filter((t) => t.phase === "RUNNING").length;
  const pending = (ts: SimTask[]) =>
    ts.filter((t) => t.phase === "PROVISIONING" || t.phase === "PENDING" || t.phase === "ACTIVATING").length;
  // DeleteService: DRAINING until its tasks have stopped, then INACTIVE (moto says INACTIVE at once).
  if (s.status === "INACTIVE" && isDraining(world, clusterName, name)) s.status = "DRAINING";
  s.runningCount = running(live);
  s.pendingCount = pending(live);
  const requested = world.requestedConfig.get(key);
  const dc = (s.deploymentConfiguration as Json | undefined) ?? {};
  s.deploymentConfiguration = {
    ...dc,
    deploymentCircuitBreaker: requested?.circuitBreaker ??
      (dc.deploymentCircuitBreaker as Json | undefined) ?? { enable: false, rollback: false },
    maximumPercent: requested?.maximumPercent ?? dc.maximumPercent ?? 200,
    minimumHealthyPercent: requested?.minimumHealthyPercent ?? dc.minimumHealthyPercent ?? 100,
  };
  if (!sim) {
    // Not yet seen by the simulator (created a moment ago): nothing runs yet.
    const deps = (s.deployments as Json[] | undefined) ?? [];
    for (const d of deps) {
      d.runningCount = 0;
      d.pendingCount = 0;
    }
    s.events = [];
    return s;
  }
  s.deployments = sim.deployments.map((d) => {
    const mine = live.filter((t) => t.deploymentId === d.id);
    return {
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.status === "PRIMARY" ? Number(s.desiredCount ?? sim.desiredCount) : mine.length,
      pendingCount: pending(mine),
      runningCount: running(mine),
      failedTasks: d.failedTasks,
      createdAt: sec(d.createdAt),
      updatedAt: sec(d.updatedAt),
      launchType: s.launchType ?? "FARGATE",
      platformVersion: "1.4.0",
      platformFamily: "Linux",
      networkConfiguration: s.networkConfiguration,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    };
  });
  s.events = sim.events.map((e) => ({ id: e.id, createdAt: sec(e.createdAt), message: e.message }));
  if (s.platformVersion === undefined && (s.launchType ?? "FARGATE") === "FARGATE") s.platformVersion = "LATEST";
  return s;
}

export function overlayTask(world: World, t: Json): Json {
  const sim = world.tasks.get(String(t.taskArn ?? ""));
  if (!sim) return t;
  const stopped = sim.phase === "STOPPED";
  t.lastStatus = sim.phase;
  t.desiredStatus = sim.desiredStatus;
  t.createdAt = sec(sim.createdAt);
  t.availabilityZone = sim.az;
  t.cpu = sim.td.cpu;
  t.memory = sim.td.memory;
  t.launchType = t.launchType ?? "FARGATE";
  t.platformVersion = "1.4.0";
  t.platformFamily = "Linux";
  t.connectivity = "CONNECTED";
  t.connectivityAt = sec(sim.createdAt + 500 / world.config.timeScale);
  t.version = 1 + ["PROVISIONING", "PENDING", "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"].indexOf(sim.phase);
  const anyHealthCheck = sim.td.containers.some((c) => c.hasHealthCheck);
  t.healthStatus = anyHealthCheck && sim.phase === "RUNNING" && !sim.failing ? "HEALTHY" : "UNKNOWN";
  if (sim.phase !== "PROVISIONING") t.pullStartedAt = sec(sim.pendingAt);
  if (sim.startedAt !== undefined) {
    t.pullStoppedAt = sec(sim.startedAt - 2000 / world.config.timeScale);
    t.startedAt = sec(sim.startedAt);
  }
  if (sim.stoppingAt !== undefined) {
    t.stoppingAt = sec(sim.stoppingAt);
    t.stoppedReason = sim.stoppedReason;
    t.stopCode = sim.stopCode;
  } else {
    delete t.stoppedReason;
  }
  if (stopped) {
    t.executionStoppedAt = sec(sim.stoppedAt);
    t.stoppedAt = sec(sim.stoppedAt);
  }
  if (sim.group) t.group = sim.group;
  if (sim.startedBy) t.startedBy = sim.startedBy;
  const attachmentId = String(((t.attachments as Json[] | undefined)?.[0]?.id as string | undefined) ?? `${sim.id}-eni`);
  t.attachments = [
    {
      id: attachmentId,
      type: "ElasticNetworkInterface",
      status: stopped ? "DELETED" : sim.phase === "PROVISIONING" ? "PRECREATED" : "ATTACHED",
      details: [
        { name: "subnetId", value: sim.subnetId },
        { name: "networkInterfaceId", value: sim.eniId },
        { name: "macAddress", value: sim.mac },
        { name: "privateDnsName", value: `ip-${sim.ip.replace(/\./g, "-")}.ec2.internal` },
        { name: "privateIPv4Address", value: sim.ip },
      ],
    },
  ];
  const containerStatus =
    sim.phase === "RUNNING" || sim.phase === "DEACTIVATING"
      ? "RUNNING"
      : sim.phase === "STOPPING" || sim.phase === "DEPROVISIONING" || stopped
        ? "STOPPED"
        : "PENDING";
  const motoContainers = (t.containers as Json[] | undefined) ?? [];
  t.containers = sim.td.containers.map((c, i) => {
    const m = motoContainers.find((x) => x.name === c.name) ?? motoContainers[i] ?? {};
    const out: Json = {
      containerArn: m.containerArn ?? `${sim.arn.replace(":task/", ":container/")}/${c.name}`,
      taskArn: sim.arn,
      name: c.name,
      image: c.image,
      runtimeId: `${sim.id}-${i}`,
      lastStatus: containerStatus,
      networkInterfaces: sim.phase === "PROVISIONING" ? [] : [{ attachmentId, privateIpv4Address: sim.ip }],
      healthStatus: c.hasHealthCheck && containerStatus === "RUNNING" && !sim.failing ? "HEALTHY" : "UNKNOWN",
      cpu: String(c.cpu ?? 0),
    };
    if (c.memory !== undefined) out.memory = String(c.memory);
    if (c.memoryReservation !== undefined) out.memoryReservation = String(c.memoryReservation);
    if (containerStatus === "STOPPED") {
      out.exitCode = sim.exitCode ?? (sim.stopCode === "EssentialContainerExited" ? 1 : 0);
      if (sim.stopCode === "EssentialContainerExited") out.reason = "Essential container in task exited";
    }
    return out;
  });
  return t;
}

function requestedKey(json: Json): string {
  return `${clusterNameOf(json.cluster as string | undefined)}/${serviceNameOf(String(json.serviceName ?? json.service ?? ""))}`;
}

function rememberConfig(env: ProxyEnv, json: Json): void {
  const dc = json.deploymentConfiguration as Json | undefined;
  if (!dc) return;
  const key = requestedKey(json);
  const prev = env.world.requestedConfig.get(key) ?? {};
  const cb = dc.deploymentCircuitBreaker as { enable?: boolean; rollback?: boolean } | undefined;
  env.world.requestedConfig.set(key, {
    ...prev,
    ...(cb ? { circuitBreaker: { enable: !!cb.enable, rollback: !!cb.rollback } } : {}),
    ...(typeof dc.maximumPercent === "number" ? { maximumPercent: dc.maximumPercent } : {}),
    ...(typeof dc.minimumHealthyPercent === "number" ? { minimumHealthyPercent: dc.minimumHealthyPercent } : {}),
  });
}

const rewriteJson = (fn: (j: Json) => void) => (body: string) => {
  const j = parse(body);
  if (!j) return body;
  fn(j);
  return JSON.stringify(j);
};

export const ecsRewriters: RewriterTable = {
  "ecs:CreateService": {
    before(env, call) {
      if (call.req.json) rememberConfig(env, call.req.json);
    },
    after(env, _call, res) {
      if (res.status !== 200) return res;
      return { ...res, body: rewriteJson((j) => j.service && overlayService(env.world, j.service as Json))(res.body) };
    },
  },
  "ecs:UpdateService": {
    before(env, call) {
      if (call.req.json) rememberConfig(env, call.req.json);
    },
    after(env, call, res) {
      if (res.status !== 200) return res;
      const json = call.req.json ?? {};
      return {
        ...res,
        body: rewriteJson((j) => {
          const s = j.service as Json | undefined;
          if (!s) return;
          const newTd = typeof json.taskDefinition === "string" ? String(s.taskDefinition ?? "") : undefined;
          env.sim.onServiceUpdated(
            clusterNameOf(String(s.clusterArn ?? "")),
            String(s.serviceName ?? ""),
            newTd,
            json.forceNewDeployment === true,
          );
          overlayService(env.world, s);
        })(res.body),
      };
    },
  },
  "ecs:DescribeServices": {
    after(env, _call, res) {
      if (res.status !== 200) return res;
      return {
        ...res,
        body: rewriteJson((j) => ((j.services as Json[] | undefined) ?? []).forEach((s) => overlayService(env.world, s)))(res.body),
      };
    },
  },
  "ecs:DeleteService": {
    after(env, _call, res) {
      if (res.status !== 200) return res;
      return { ...res, body: rewriteJson((j) => j.service && overlayService(env.world, j.service as Json))(res.body) };
    },
  },
  "ecs:DescribeClusters": {
    after(env, _call, res) {
      if (res.status !== 200) return res;
      return {
        ...res,
        body: rewriteJson((j) => {
          for (const cl of (j.clusters as Json[] | undefined) ?? []) {
            const name = clusterNameOf(String(cl.clusterArn ?? ""));
            const live = [...env.world.tasks.values()].filter((t) => t.clusterName === name && isLive(t));
            cl.runningTasksCount = live.filter((t) => t.phase === "RUNNING").length;
            cl.pendingTasksCount = live.filter((t) => t.phase !== "RUNNING").length;
          }
        })(res.body),
      };
    },
  },
  "ecs:DescribeTasks": {
    after(env, _call, res) {
      if (res.status !== 200) return res;
      return {
        ...res,
        body: rewriteJson((j) => ((j.tasks as Json[] | undefined) ?? []).forEach((t) => overlayTask(env.world, t)))(res.body),
      };
    },
  },
  "ecs:RunTask": {
    before(env, call) {
      // The simulator must not adopt these tasks from its own ListTasks before this call's answer is handled: only
      // the request knows their security groups and assignPublicIp.
      env.world.runTaskInFlightUntil = call.now + RUN_TASK_ADOPTION_GRACE_MS;
    },
    async after(env, call, res) {
      if (res.status !== 200) return res;
      const j = parse(res.body);
      if (!j) return res;
      const tasks = (j.tasks as Json[] | undefined) ?? [];
      const nc = call.req.json?.networkConfiguration as { awsvpcConfiguration?: { securityGroups?: string[] } } | undefined;
      await env.sim.onTasksStarted(tasks, nc);
      // After adoption: the simulator forgets ENI records of tasks it does not know.
      for (const t of tasks) env.world.taskSecurityGroups.set(String(t.taskArn ?? ""), nc?.awsvpcConfiguration?.securityGroups ?? []);
      tasks.forEach((t) => overlayTask(env.world, t));
      return { ...res, body: JSON.stringify(j) };
    },
  },
  "ecs:StopTask": {
    before(env, call) {
      const json = call.req.json ?? {};
      const arn = String(json.task ?? "");
      const match = [...env.world.tasks.values()].find((t) => t.arn === arn || t.id === arn);
      if (match) env.sim.onTaskStopped(match.arn, typeof json.reason === "string" && json.reason ? json.reason : "Task stopped by user");
    },
    after(env, _call, res) {
      if (res.status !== 200) return res;
      return { ...res, body: rewriteJson((j) => j.task && overlayTask(env.world, j.task as Json))(res.body) };
    },
  },
  "ecs:ListTasks": {
    before(_env, call) {
      // AWS lists RUNNING tasks unless told otherwise; moto lists every task.
      const json = { ...(call.req.json ?? {}) };
      if (json.desiredStatus === undefined) json.desiredStatus = "RUNNING";
      call.memo.serviceName = json.serviceName;
      call.body = Buffer.from(JSON.stringify(json));
    },
    after(env, call, res) {
      const serviceName = call.memo.serviceName;
      if (res.status !== 200 || typeof serviceName !== "string") return res;
      // moto ignores serviceName: filter by the task group the scheduler gave the task.
      const name = serviceNameOf(serviceName);
      return {
        ...res,
        body: rewriteJson((j) => {
          const arns = (j.taskArns as string[] | undefined) ?? [];
          j.taskArns = arns.filter((a) => env.world.tasks.get(a)?.serviceName === name);
        })(res.body),
      };
    },
  },
};
