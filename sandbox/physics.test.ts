import { describe, expect, it } from "vitest";
import { evaluateAlarm, fmtDate, fmtNumber, type AlarmDef } from "./physics/alarm-eval";
import { isFailingCommand, isServerCommand, parseWorkerCommand, workerDisplayName } from "./physics/commands";
import { advanceTask, requestStop } from "./physics/lifecycle";
import { circuitBreakerThreshold, planRollout } from "./physics/rollout";
import { nextFreeIp } from "./physics/network";
import { mulberry32 } from "./util/prng";
import type { SimService, SimTask } from "./world";

const def: AlarmDef = {
  name: "cpu",
  statistic: "Average",
  period: 60,
  evaluationPeriods: 2,
  threshold: 80,
  comparison: "GreaterThanThreshold",
};
const T0 = Date.UTC(2026, 10, 29, 16, 40, 0);

describe("alarm evaluation", () => {
  it("goes ALARM when M of N datapoints breach, with CloudWatch's wording", () => {
    const ev = evaluateAlarm(
      def,
      [
        { t: T0, v: 95.2 },
        { t: T0 + 60_000, v: 91 },
      ],
      T0 + 120_000,
    );
    expect(ev.state).toBe("ALARM");
    expect(ev.reason).toBe(
      "Threshold Crossed: 2 out of the last 2 datapoints [91.0 (29/11/26 16:41:00), 95.2 (29/11/26 16:40:00)] were greater than the threshold (80.0) (minimum 2 datapoints for OK -> ALARM transition).",
    );
    const one = evaluateAlarm({ ...def, evaluationPeriods: 1 }, [{ t: T0, v: 95.2 }], T0);
    expect(one.reason).toBe("Threshold Crossed: 1 datapoint [95.2 (29/11/26 16:40:00)] was greater than the threshold (80.0).");
  });

  it("is OK when not enough datapoints breach, and INSUFFICIENT_DATA without data", () => {
    expect(
      evaluateAlarm(
        def,
        [
          { t: T0, v: 95 },
          { t: T0 + 60_000, v: 10 },
        ],
        T0,
      ).state,
    ).toBe("OK");
    expect(evaluateAlarm(def, [], T0)).toMatchObject({
      state: "INSUFFICIENT_DATA",
      reason: "Insufficient Data: 2 datapoints were unknown.",
    });
    expect(evaluateAlarm({ ...def, treatMissingData: "breaching" }, [], T0).state).toBe("ALARM");
    expect(evaluateAlarm({ ...def, treatMissingData: "notBreaching" }, [], T0).state).toBe("OK");
    expect(evaluateAlarm({ ...def, treatMissingData: "ignore" }, [], T0).state).toBe("UNCHANGED");
  });

  it("honours the comparison operator and formats numbers like CloudWatch", () => {
    const low = { ...def, evaluationPeriods: 1, comparison: "LessThanOrEqualToThreshold", threshold: 1e9 };
    expect(evaluateAlarm(low, [{ t: T0, v: 5e8 }], T0).state).toBe("ALARM");
    expect(fmtNumber(80)).toBe("80.0");
    expect(fmtNumber(95.25)).toBe("95.25");
    expect(fmtDate(T0)).toBe("29/11/26 16:40:00");
  });
});

describe("container commands", () => {
  it("tells servers, workers and broken commands apart", () => {
    expect(isServerCommand(["prefect", "server", "start", "--host", "0.0.0.0"])).toBe(true);
    expect(parseWorkerCommand(["prefect", "worker", "start", "--pool", "prod", "--type", "ecs"])).toEqual({
      pool: "prod",
      type: "ecs",
      name: undefined,
    });
    expect(parseWorkerCommand(["sh", "-c", "prefect worker start --pool=p"])).toMatchObject({ pool: "p" });
    expect(isFailingCommand(["prefect", "server", "start"])).toBe(false);
    expect(isFailingCommand([])).toBe(false);
    expect(isFailingCommand(["python", "app.py"])).toBe(true);
    expect(isFailingCommand(["prefect", "sever", "start"])).toBe(true);
    expect(isFailingCommand(["prefect", "server", "start", "--fail"])).toBe(true);
    expect(workerDisplayName({ pool: "p", type: "ecs" }, "abc")).toBe("ECSWorker abc");
  });
});

function task(id: string, deploymentId: string, phase: SimTask["phase"], createdAt = 0): SimTask {
  return {
    arn: `arn:task/${id}`,
    id,
    clusterArn: "c",
    clusterName: "c",
    serviceName: "s",
    deploymentId,
    td: { arn: "td", family: "f", cpu: "256", memory: "512", containers: [] },
    subnetId: "s",
    network: { subnets: ["s"], securityGroups: [], assignPublicIp: false },
    az: "us-east-1a",
    ip: "10.0.0.1",
    eniId: "e",
    mac: "m",
    createdAt,
    pendingAt: 1,
    runningAt: 2,
    phase,
    desiredStatus: "RUNNING",
    failing: false,
    logCarry: 0,
    bannerWritten: false,
    streamReady: false,
  };
}

function service(desired: number, primary = "d2", old?: string): SimService {
  const dep = (id: string, status: "PRIMARY" | "ACTIVE") => ({
    id,
    status,
    taskDefinition: id,
    createdAt: 0,
    updatedAt: 0,
    failedTasks: 0,
    rolloutState: "IN_PROGRESS" as const,
    rolloutStateReason: "",
  });
  return {
    key: "c/s",
    arn: "a",
    name: "s",
    clusterArn: "c",
    clusterName: "c",
    desiredCount: desired,
    taskDefinition: primary,
    networkConfiguration: {},
    launchType: "FARGATE",
    loadBalancers: [],
    serviceRegistries: [],
    deployments: old ? [dep(primary, "PRIMARY"), dep(old, "ACTIVE")] : [dep(primary, "PRIMARY")],
    events: [],
    steady: false,
    nextLaunchAt: 0,
  };
}

describe("rolling deployments", () => {
  const healthy = (t: SimTask) => t.phase === "RUNNING";
  const plan = (svc: SimService, tasks: SimTask[]) =>
    planRollout({ service: svc, tasks, healthy, maximumPercent: 200, minimumHealthyPercent: 100, now: 10 });

  it("launches all missing tasks when nothing is being replaced", () => {
    expect(plan(service(3), [])).toEqual({ start: 3, stop: [] });
  });

  it("replaces one task at a time: start one, then stop an old one once the new one is healthy", () => {
    const old = [task("o1", "d1", "RUNNING"), task("o2", "d1", "RUNNING")];
    expect(plan(service(2, "d2", "d1"), old)).toEqual({ start: 1, stop: [] });
    const starting = [...old, task("n1", "d2", "PENDING")];
    expect(plan(service(2, "d2", "d1"), starting)).toEqual({ start: 0, stop: [] });
    const up = [...old, task("n1", "d2", "RUNNING")];
    const p = plan(service(2, "d2", "d1"), up);
    expect(p.start).toBe(1);
    expect(p.stop.map((s) => s.task.id)).toEqual(["o1"]);
  });

  it("scales in extra tasks, not-yet-running first", () => {
    const p = plan(service(1), [task("a", "d2", "RUNNING"), task("b", "d2", "PENDING", 5)]);
    expect(p.stop.map((s) => s.task.id)).toEqual(["b"]);
  });

  it("uses the circuit breaker threshold ECS documents", () => {
    expect(circuitBreakerThreshold(1)).toBe(3);
    expect(circuitBreakerThreshold(10)).toBe(5);
    expect(circuitBreakerThreshold(1000)).toBe(200);
  });
});

describe("task lifecycle", () => {
  it("walks PROVISIONING → PENDING → RUNNING, then stops through STOPPING to STOPPED", () => {
    const t = task("x", "d", "PROVISIONING");
    t.pendingAt = 100;
    t.runningAt = 200;
    expect(advanceTask(t, 50, (s) => s, false)).toEqual([]);
    advanceTask(t, 150, (s) => s, false);
    expect(t.phase).toBe("PENDING");
    expect(advanceTask(t, 250, (s) => s, false)).toEqual(["running"]);
    expect(t.startedAt).toBe(200);
    requestStop(t, 300, { reason: "Scaling activity", stopCode: "ServiceSchedulerInitiated" });
    expect(t.phase).toBe("DEACTIVATING");
    advanceTask(t, 300 + 3, (s) => s, false);
    expect(t.phase).toBe("STOPPING");
    expect(advanceTask(t, 10_000, (s) => s, false)).toEqual(["stopped"]);
    expect(t.phase).toBe("STOPPED");
    expect(t.exitCode).toBe(0);
  });

  it("a failing command crashes soon after RUNNING", () => {
    const t = { ...task("x", "d", "PENDING"), failing: true, runningAt: 10 };
    advanceTask(t, 10, (s) => s, false);
    expect(advanceTask(t, 100, (s) => s, false)).toContain("crashed");
    expect(t.stoppedReason).toBe("Essential container in task exited");
    expect(t.stopCode).toBe("EssentialContainerExited");
  });
});

describe("task IPs", () => {
  it("stay inside the subnet and skip AWS's reserved addresses", () => {
    const used = new Set<string>();
    const rng = mulberry32(1);
    for (let i = 0; i < 200; i++) {
      const ip = nextFreeIp("10.0.10.0/24", used, rng);
      const last = Number(ip.split(".")[3]);
      expect(ip.startsWith("10.0.10.")).toBe(true);
      expect(last).toBeGreaterThanOrEqual(4);
      expect(last).toBeLessThanOrEqual(254);
      expect(used.has(ip)).toBe(false);
      used.add(ip);
    }
  });
});

describe("target tracking", () => {
  it("scales proportionally, clamps to [min, max], and scales in only when clearly below target", async () => {
    const { targetTrackingDesired } = await import("./physics/autoscaling");
    expect(targetTrackingDesired({ current: 1, min: 1, max: 3, metric: 95, target: 50 })).toBe(2);
    expect(targetTrackingDesired({ current: 2, min: 1, max: 3, metric: 95, target: 50 })).toBe(3);
    expect(targetTrackingDesired({ current: 3, min: 1, max: 3, metric: 7, target: 50 })).toBe(1);
    expect(targetTrackingDesired({ current: 3, min: 1, max: 3, metric: 47, target: 50 })).toBe(3);
  });
});
